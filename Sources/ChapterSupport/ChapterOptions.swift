import ArgumentParser
import Foundation

/// The options every chapter program takes.
///
/// `--figures DIR` says where the PNGs (and a chapter's sounds) go; without it a chapter
/// writes into `output/`, so that a run with options other than the book's never overwrites
/// the book's `figures/`: only `make figures`, which passes `--figures figures`, rewrites them.
/// `--quick` runs the chapter on tiny sizes so that the tests can check it still runs.
public struct ChapterOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Folder the chapter writes its figures into (default: output, or with --quick a "
        + "temporary folder; `make figures` passes --figures figures)."))
  public var figures: String?

  @Flag(help: "Run on tiny sizes, for a smoke test; the numbers printed mean nothing.")
  public var quick: Bool = false

  public init() {}

  /// Where the figures go: `--figures` when given, else `output/`, never the book's
  /// `figures/` unless asked. A `--quick` run draws meaningless figures, so without
  /// `--figures` it writes them into a temporary folder.
  public var figuresFolder: String {
    figures
      ?? (quick
        ? (NSTemporaryDirectory() as NSString).appendingPathComponent("audioprior-quick-figures")
        : "output")
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
