import ArgumentParser
import Foundation

/// The options every chapter program takes.
///
/// `--figures DIR` says where the PNGs go (the book's `figures/` by default);
/// `--quick` runs the chapter on tiny sizes so that the tests can check it still runs.
public struct ChapterOptions: ParsableArguments {
  @Option(help: "Folder the chapter writes its figures into.")
  public var figures: String = "figures"

  @Flag(help: "Run on tiny sizes, for a smoke test; the numbers printed mean nothing.")
  public var quick: Bool = false

  public init() {}

  /// The path of figure `name` (e.g. "01-waveforms.png"), creating the folder if needed.
  public func figure(_ name: String) throws -> String {
    try FileManager.default.createDirectory(
      atPath: figures, withIntermediateDirectories: true)
    return (figures as NSString).appendingPathComponent(name)
  }

  /// Parses the process arguments, printing help or an error and exiting when they are wrong.
  public static func fromCommandLine() -> ChapterOptions {
    parseOrExit()
  }
}
