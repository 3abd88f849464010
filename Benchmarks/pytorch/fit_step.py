"""The canonical generator's fit step in PyTorch, timed on this machine.

`make bench-pytorch` runs it (it installs torch with pip when it is missing). It builds the
network of the book's canonical configuration (z in R^100 fixed; ConvTranspose2d 100->512 k4 s1
p0, five k4 s2 p1 layers 512->256->128->64->32->16, each with batch norm in training mode and
ReLU; ConvTranspose2d 16->1 k4 s2 p1; sigmoid; no conv bias; weights N(0, 0.02), batch-norm
scale N(1, 0.02)), and times one step of MSE against a fixed 256x256 target with Adam
(lr 1e-2): forward, backward, optimiser, split into its three parts as chapter 5's table is.
Prints one line per measurement, in milliseconds, median of blocks of steps.
"""

import os
import statistics
import sys
import time

import torch
from torch import nn

THREADS = int(os.environ.get("AUDIOPRIOR_THREADS", os.cpu_count() or 1))
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def generator() -> nn.Sequential:
    channels = [512, 256, 128, 64, 32, 16]
    layers = [nn.ConvTranspose2d(100, 512, 4, 1, 0, bias=False), nn.BatchNorm2d(512), nn.ReLU()]
    for cin, cout in zip(channels, channels[1:]):
        layers += [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout),
                   nn.ReLU()]
    layers += [nn.ConvTranspose2d(16, 1, 4, 2, 1, bias=False), nn.Sigmoid()]
    net = nn.Sequential(*layers)
    for m in net.modules():
        if isinstance(m, nn.ConvTranspose2d):
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return net.train()


def median_ms(step, blocks: int = 6, steps: int = 20) -> float:
    """The median over `blocks` of the mean time of `steps` calls, after 10 of warm-up."""
    for _ in range(10):
        step()
    times = []
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps * 1000)
    return statistics.median(times)


def main() -> None:
    net = generator()
    z = torch.randn(1, 100, 1, 1)
    target = torch.rand(1, 1, 256, 256)
    # FIT_STEP_ADAM=fused selects PyTorch's fused CPU Adam; the default is what a user gets.
    fused = os.environ.get("FIT_STEP_ADAM") == "fused"
    adam = torch.optim.Adam(net.parameters(), lr=1e-2, fused=fused or None)

    def fit_step():
        adam.zero_grad(set_to_none=False)
        loss = nn.functional.mse_loss(net(z), target)
        loss.backward()
        adam.step()

    def forward():
        # With the graph recorded, as a training step's forward is.
        net(z)

    def forward_backward():
        adam.zero_grad(set_to_none=False)
        nn.functional.mse_loss(net(z), target).backward()

    step = median_ms(fit_step)
    fwd = median_ms(forward)
    bwd = median_ms(forward_backward) - fwd
    opt = median_ms(adam.step)
    print(f"torch {torch.__version__}, {THREADS} threads, Adam {'fused' if fused else 'default'}")
    print(f"fit step (forward, backward, Adam): {step:.2f} ms")
    print(f"forward: {fwd:.2f} ms")
    print(f"backward from the MSE loss (forward + backward, less forward): {bwd:.2f} ms")
    print(f"Adam: {opt:.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
