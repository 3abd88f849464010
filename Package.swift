// swift-tools-version:6.2
// AudioPrior: a book and a library that build a speech denoiser from a Deep Image Prior.
// One module per layer, in chapter order; one executable per chapter.

import PackageDescription

/// A C library reached through a module map and pkg-config.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
  .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

/// A chapter program: `Chapters/NN-name/main.swift`, run as `swift run -c release NN-name`.
func chapter(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
  .executableTarget(
    name: name, dependencies: dependencies + ["ChapterSupport"], path: "Chapters/\(name)")
}

let package = Package(
  name: "AudioPrior",
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
  ],
  targets: [
    systemLibrary("CSndFile", pkgConfig: "sndfile", apt: "libsndfile1-dev"),
    systemLibrary("CFFTW", pkgConfig: "fftw3f", apt: "libfftw3-dev"),
    systemLibrary("CPNG", pkgConfig: "libpng", apt: "libpng-dev"),
    systemLibrary("CBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),

    // What every chapter program shares: options, timing, printed tables.
    .target(
      name: "ChapterSupport",
      dependencies: [
        "Tensors", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Chapter 1+: the one seeded random number generator (xoshiro256**, normal draws).
    .target(name: "Random"),
    // Chapter 1: reading and writing audio, resampling, test signals, noise, SNR.
    .target(name: "Audio", dependencies: ["CSndFile", "Random"]),
    // Chapter 1+: PNG images, colormaps, line plots, heat maps, bar charts and diagrams.
    .target(name: "Plot", dependencies: ["CPNG"]),
    chapter("01-wav-io", ["Audio", "Plot"]),

    // The book's tooling: excerpts (`make book`) and the exercise copy (`make exercises`).
    .target(name: "BookKit"),
    // The book as a website (`make html`): pages, anchors, highlighted code, the link check.
    .target(name: "BookSite", dependencies: [.product(name: "Ink", package: "Ink")]),
    .executableTarget(
      name: "book",
      dependencies: [
        "BookKit", "BookSite",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Tools/book"),

    // Chapter 2: the DFT, FFTW, the STFT and its inverse, Griffin-Lim.
    .target(name: "Spectral", dependencies: ["CFFTW", "Random"]),
    chapter("02-spectrogram", ["Audio", "Plot", "Random", "Spectral"]),

    // Chapter 3: Tensor (Float32, row-major), broadcasting ops, GEMM, conv / conv-transpose,
    // the work split over threads and the one clock.
    .target(name: "Tensors", dependencies: ["CBLAS", "Random"]),
    chapter("03-tensors", ["Tensors", "Plot"]),

    // Chapter 4: reverse-mode automatic differentiation on Tensors, gradcheck.
    .target(name: "Autograd", dependencies: ["Tensors"]),
    chapter("04-autograd", ["Tensors", "Autograd", "Plot"]),

    // Chapter 5: Module, ConvTranspose2d, BatchNorm2d, the DCGAN generator, Adam and SGD.
    .target(name: "NN", dependencies: ["Random", "Tensors", "Autograd"]),
    chapter("05-generator", ["Tensors", "Autograd", "NN", "Plot"]),

    // Chapters 6-7: classical suppression gains (Wiener, decision-directed, spectral
    // subtraction) and noise power estimates, on plain power spectrograms.
    .target(name: "Suppression"),
    // Chapter 6: the prior fit of one noisy recording: target domains, the fit, and how a
    // fitted image becomes a gain and audio.
    .target(
      name: "Prior",
      dependencies: ["Audio", "Random", "Spectral", "Tensors", "Autograd", "NN", "Suppression"]),
    chapter(
      "06-prior-fit",
      [
        "Audio", "Spectral", "Tensors", "NN", "Prior", "Plot",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Chapter 7: the denoising pipeline: segments and crossfades, enhancers (the classical
    // gains and the prior fit), stopping rules.
    .target(name: "Denoising", dependencies: ["Audio", "Spectral", "Suppression", "Prior"]),
    // Chapter 7: the evaluation set, scores, and the comparison of methods and stopping rules.
    .target(
      name: "Evaluation",
      dependencies: ["Audio", "Random", "Spectral", "Suppression", "Prior", "Denoising"]),
    chapter(
      "07-real-recordings",
      ["Audio", "Plot", "Spectral", "Tensors", "Suppression", "Prior", "Denoising", "Evaluation"]),
    // Chapter 8: the speech + noise prior on recorded speech.
    chapter(
      "08-recorded-speech",
      ["Audio", "Plot", "Tensors", "Suppression", "Prior", "Denoising", "Evaluation"]),
    // Chapter 7: the `denoise` command.
    .executableTarget(
      name: "denoise",
      dependencies: [
        "Audio", "Tensors", "Suppression", "Denoising",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Tools/denoise"),

    // `make bench`: the measured speed of every chapter, one table.
    .executableTarget(
      name: "bench",
      dependencies: [
        "ChapterSupport", "Audio", "Random", "Spectral", "Tensors", "CBLAS", "Autograd", "NN",
        "Prior", "Suppression", "Denoising",
      ],
      path: "Benchmarks/bench"),

    // book: scratch-target
    // `swift run scratch`: where the book's "Try it" snippets go.
    .executableTarget(
      name: "scratch",
      dependencies: ["Audio", "Autograd", "NN", "Plot", "Random", "Spectral", "Tensors"],
      path: "Tools/scratch"),
    // book: end

    .testTarget(
      name: "AudioPriorTests",
      dependencies: [
        "BookKit", "BookSite", "Random", "Audio", "Plot", "CPNG", "Spectral", "Tensors",
        "Autograd", "NN", "Suppression", "Prior", "Denoising", "Evaluation", "ChapterSupport",
        "denoise",
      ]),
  ]
)
