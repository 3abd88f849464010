// `denoise`: the book's denoiser as a command. `denoise noisy.wav -o clean.wav`;
// `denoise --help` for the options and what is done with channels and sample rates.
import Tensors

ensureFastBLASKernels()
DenoiseCommand.main()
