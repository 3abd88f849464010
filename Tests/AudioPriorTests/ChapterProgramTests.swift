import ChapterSupport
import Foundation
import Testing

@Suite("Chapter programs: options and reports")
struct ChapterProgramTests {
  @Test func quickRunsNeverWriteIntoTheBooksFigures() throws {
    #expect(try ChapterOptions.parse([]).figuresFolder == "figures")
    let quick = try ChapterOptions.parse(["--quick"]).figuresFolder
    #expect(quick != "figures" && quick.hasPrefix(NSTemporaryDirectory()))
    #expect(try ChapterOptions.parse(["--quick", "--figures", "out"]).figuresFolder == "out")
    #expect(try ChapterOptions.parse(["--figures", "out"]).figuresFolder == "out")
  }

  @Test func interleavedTimingRunsEachBodyOncePerRoundAfterAWarmUp() {
    var counts = [0, 0]
    let medians = interleavedMedianSeconds(rounds: 5, [{ counts[0] += 1 }, { counts[1] += 1 }])
    #expect(counts == [6, 6] && medians.count == 2 && medians.allSatisfy { $0 >= 0 })
  }
}
