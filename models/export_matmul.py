"""Export the square float32 MatMul graph that benchmarks/neural_benchmark.mjs
runs in onnxruntime-web to measure the machine's peak matrix throughput.
Usage: /usr/bin/python3 models/export_matmul.py benchmarks/neural_matmul.onnx
"""

import sys

import torch


class MatMul(torch.nn.Module):
    def forward(self, a, b):
        return torch.matmul(a, b)


def main():
    size = 1024
    example = (torch.zeros(size, size), torch.zeros(size, size))
    torch.onnx.export(MatMul(), example, sys.argv[1], opset_version=13,
                      input_names=["a", "b"], output_names=["c"])


if __name__ == "__main__":
    main()
