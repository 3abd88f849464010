import ArgumentParser
import Foundation

/// The options every chapter program takes.
///
/// `--figures DIR` says where the PNGs go (the book's `figures/` by default);
/// `--quick` runs the chapter on tiny sizes so that the tests can check it still runs.
public struct ChapterOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Folder the chapter writes its figures into (default: figures, or with --quick a "
        + "temporary folder)."))
  public var figures: String?

  @Flag(help: "Run on tiny sizes, for a smoke test; the numbers printed mean nothing.")
  public var quick: Bool = false

  public init() {}

  /// Where the figures go: `--figures` when given, else the book's `figures/`. A `--quick`
  /// run draws meaningless figures, so without `--figures` it writes them into a temporary
  /// folder and never over the book's.
  public var figuresFolder: String {
    figures
      ?? (quick
        ? (NSTemporaryDirectory() as NSString).appendingPathComponent("audioprior-quick-figures")
        : "figures")
  }

  /// The path of figure `name` (e.g. "01-waveforms.png"), creating the folder if needed.
  public func figure(_ name: String) throws -> String {
    try FileManager.default.createDirectory(
      atPath: figuresFolder, withIntermediateDirectories: true)
    return (figuresFolder as NSString).appendingPathComponent(name)
  }

  /// Parses the process arguments, printing help or an error and exiting when they are wrong.
  public static func fromCommandLine() -> ChapterOptions {
    parseOrExit()
  }
}
