import Testing

// The tag of each exercise, its name in lower camel case: a test that checks the exercise
// `hann-window` carries `.hannWindow`. `make checkpoint N=2` runs each exercise's tagged tests
// of chapter 2 in a process of their own and grades them; `make exercises-check-each` proves,
// exercise by exercise, that one of them fails without its solution. ExerciseTagTests fails
// unless every solution in Sources/ has its tag here, carried by a test of its chapter, and
// every tag here names a solution.
extension Tag {
  // Chapter 1
  @Tag static var windowedSinc: Self
  @Tag static var downmix: Self
  @Tag static var noiseGain: Self
  @Tag static var siSdr: Self
  @Tag static var niceStep: Self
  @Tag static var colormapIndex: Self
  // Chapter 2
  @Tag static var hannWindow: Self
  @Tag static var reflectPadding: Self
  @Tag static var dftDefinition: Self
  @Tag static var stftFraming: Self
  @Tag static var istftOverlapAdd: Self
  @Tag static var spectralConvergence: Self
  // Chapter 3
  @Tag static var broadcastStrides: Self
  @Tag static var naiveMatmul: Self
  @Tag static var gemmMicroKernel: Self
  @Tag static var im2col: Self
  @Tag static var col2im: Self
  @Tag static var convtInputGradient: Self
  @Tag static var convtWeightGradient: Self
  // Chapter 4
  @Tag static var topologicalOrder: Self
  @Tag static var multiply: Self
  @Tag static var sigmoid: Self
  @Tag static var matmulBackward: Self
  @Tag static var batchNormBackward: Self
  @Tag static var centralDifference: Self
  // Chapter 5
  @Tag static var dcganInit: Self
  @Tag static var batchNormReluForward: Self
  @Tag static var batchNormReluBackward: Self
  @Tag static var adamUpdate: Self
  @Tag static var sgdMomentum: Self
  // Chapter 6
  @Tag static var logMagnitudeScaling: Self
  @Tag static var powerLawInverse: Self
  @Tag static var movingAverage: Self
  @Tag static var reconstruct: Self
  @Tag static var wienerGain: Self
  @Tag static var fitLossBackward: Self
  @Tag static var itakuraSaito: Self
  // Chapter 7
  @Tag static var crossfadeRamp: Self
  @Tag static var ddPrioriSnr: Self
  @Tag static var discrepancyRule: Self
  @Tag static var overlapAdd: Self
  @Tag static var sppNoiseUpdate: Self
  // Chapter 8
  @Tag static var lsaGain: Self
  @Tag static var heldOutRule: Self
  @Tag static var stoiCorrelation: Self
  @Tag static var stoiEnvelopes: Self
}
