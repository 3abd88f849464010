// swift-tools-version:6.0
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
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
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
    // Chapter 1: reading and writing audio, resampling, test signals, noise, SNR.
    .target(name: "Audio", dependencies: ["CSndFile"]),
    // Chapter 1+: PNG images, colormaps, line plots, heat maps and bar charts for the figures.
    .target(name: "Plot", dependencies: ["CPNG"]),
    chapter("01-wav-io", ["Audio", "Plot"]),

    // The book's tooling: excerpts (`make book`) and the exercise copy (`make exercises`).
    .target(name: "BookKit"),
    .executableTarget(
      name: "book",
      dependencies: [
        "BookKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Tools/book"),

    // Chapter 2: the DFT, FFTW, the STFT and its inverse, log-magnitude scaling, Griffin-Lim.
    .target(name: "Spectral", dependencies: ["CFFTW"]),
    chapter("02-spectrogram", ["Audio", "Plot", "Spectral"]),

    // Chapter 3: Tensor (Float32, row-major), broadcasting ops, GEMM, conv / conv-transpose.
    .target(name: "Tensors", dependencies: ["CBLAS"]),
    chapter("03-tensors", ["Tensors", "Plot"]),

    // Chapter 4: reverse-mode automatic differentiation on Tensors, gradcheck.
    .target(name: "Autograd", dependencies: ["Tensors"]),
    chapter("04-autograd", ["Tensors", "Autograd", "Plot"]),

    // Chapter 5: Module, ConvTranspose2d, BatchNorm2d, the DCGAN generator, Adam and SGD.
    .target(name: "NN", dependencies: ["Tensors", "Autograd"]),
    chapter("05-generator", ["Tensors", "Autograd", "NN", "Plot"]),

    // Chapter 6: the prior fit of one noisy recording: target domains, reconstructions, the fit.
    .target(name: "Prior", dependencies: ["Audio", "Spectral", "Tensors", "Autograd", "NN"]),
    chapter("06-prior-fit", ["Audio", "Spectral", "Tensors", "Autograd", "NN", "Prior", "Plot"]),

    // Chapter 7: real recordings: segments, classical baselines, stopping rules, the pipeline.
    chapter("07-real-recordings", ["Audio", "Plot", "Spectral", "Tensors", "Prior"]),
    // Chapter 7: the `denoise` command.
    .executableTarget(
      name: "denoise",
      dependencies: [
        "Audio", "Tensors", "Prior",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Tools/denoise"),

    // `make bench`: the measured speed of every chapter, one table.
    .executableTarget(
      name: "bench",
      dependencies: [
        "ChapterSupport", "Audio", "Spectral", "Tensors", "CBLAS", "Autograd", "NN", "Prior",
      ],
      path: "Benchmarks/bench"),

    .testTarget(
      name: "AudioPriorTests",
      dependencies: [
        "BookKit", "Audio", "CSndFile", "Plot", "CPNG", "Spectral", "CFFTW", "Tensors", "CBLAS",
        "Autograd", "NN", "Prior", "ChapterSupport",
      ]),
  ]
)
