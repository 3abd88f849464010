// `make bench`: every benchmark of the book in one release run, printed as one table.
// Each chapter's benchmarks live in their own file and return rows.
import ChapterSupport
import Foundation
import Tensors

ensureFastBLASKernels()

// `bench fit-step`: the generator's fit step alone, printed in seconds, for chapter 5's runs
// at other thread counts (AUDIOPRIOR_THREADS is read once per process).
if CommandLine.arguments.dropFirst().first == "fit-step" {
  print(medianFitStepSeconds())
  exit(0)
}

// `bench archive`: only the archive-scale runs of the `denoise` command (several minutes).
if CommandLine.arguments.dropFirst().first == "archive" {
  printMarkdown(try chapter07ArchiveBenchmarks())
  exit(0)
}

// `bench default`: only the default method on 10 s of stereo, in both layouts (a few minutes).
if CommandLine.arguments.dropFirst().first == "default" {
  printMarkdown(try chapter08Benchmarks())
  exit(0)
}

/// The chapters' benchmark functions, in chapter order.
let benchmarks: [(chapter: String, run: () throws -> [BenchRow])] = [
  ("chapter 1", chapter01Benchmarks),
  ("chapter 2", chapter02Benchmarks),
  ("chapter 3", chapter03Benchmarks),
  ("chapter 4", chapter04Benchmarks),
  ("chapter 5", chapter05Benchmarks),
  ("chapter 6", chapter06Benchmarks),
  ("chapter 7", chapter07Benchmarks),
  ("chapter 7, the denoise command at archive scale", chapter07ArchiveBenchmarks),
  ("chapter 8, the default method on 10 s of stereo", chapter08Benchmarks),
]

// `bench 5`: only chapter 5's benchmarks (any chapter's number; a few minutes, not the whole).
let chosen =
  CommandLine.arguments.dropFirst().first.map { number in
    benchmarks.filter { $0.chapter.hasPrefix("chapter \(number)") }
  } ?? benchmarks
guard !chosen.isEmpty else {
  print("bench: no chapter \(CommandLine.arguments[1]); give a chapter's number, 1 to 8")
  exit(2)
}

var rows: [BenchRow] = []
for benchmark in chosen {
  print("running \(benchmark.chapter) ...")
  rows += try benchmark.run()
}
printMarkdown(rows)
