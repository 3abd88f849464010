// `make bench`: every benchmark of the book in one release run, printed as one table.
// Each chapter's benchmarks live in their own file and return rows.
import ChapterSupport
import Tensors

ensureFastBLASKernels()

/// The chapters' benchmark functions, in chapter order.
let benchmarks: [(chapter: String, run: () throws -> [BenchRow])] = [
  ("chapter 1", chapter01Benchmarks),
  ("chapter 2", chapter02Benchmarks),
  ("chapter 3", chapter03Benchmarks),
  ("chapter 4", chapter04Benchmarks),
  ("chapter 5", chapter05Benchmarks),
  ("chapter 6", chapter06Benchmarks),
  ("chapter 7", chapter07Benchmarks),
]

var rows: [BenchRow] = []
for benchmark in benchmarks {
  print("running \(benchmark.chapter) ...")
  rows += try benchmark.run()
}
printMarkdown(rows)
