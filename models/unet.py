"""Small 2D U-Net for 1-channel segmentation of axial CT slices."""

import torch
from torch import nn


def conv_block(in_channels, out_channels):
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    """U-Net with four resolution levels and one output logit per pixel."""

    def __init__(self, widths):
        super().__init__()
        self.widths = tuple(widths)
        self.encoders = nn.ModuleList(
            conv_block(1 if i == 0 else widths[i - 1], widths[i]) for i in range(len(widths)))
        self.upsamplers = nn.ModuleList(
            nn.ConvTranspose2d(widths[i], widths[i - 1], 2, stride=2)
            for i in range(len(widths) - 1, 0, -1))
        self.decoders = nn.ModuleList(
            conv_block(2 * widths[i - 1], widths[i - 1]) for i in range(len(widths) - 1, 0, -1))
        self.head = nn.Conv2d(widths[0], 1, 1)

    def forward(self, x):
        skips = []
        for level, encoder in enumerate(self.encoders):
            if level > 0:
                x = nn.functional.max_pool2d(x, 2)
            x = encoder(x)
            skips.append(x)

        for upsampler, decoder, skip in zip(self.upsamplers, self.decoders, skips[-2::-1]):
            x = decoder(torch.cat([upsampler(x), skip], 1))
        return self.head(x)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())
