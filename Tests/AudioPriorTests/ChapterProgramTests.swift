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

  @Test func medianIsTheMiddleValueOrTheMeanOfTheMiddleTwo() {
    #expect(median([3, 1, 2]) == 2)
    #expect(median([4, 1, 3, 2]) == 2.5)
    #expect(median([7]) == 7)
  }
}
