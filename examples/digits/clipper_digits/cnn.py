"""digits-cnn: a small convolutional network in PyTorch, trained on the CPU in a few seconds.

Two 3x3 convolutions and a max-pool over the 8x8 image, then two dense layers; Adam, fixed seeds and
one thread, so the same weights come out of every training run.
"""

import numpy
import torch
from torch import nn

EPOCHS = 40
BATCH = 32


class CnnClassifier:
    """fit/predict over raw pixel values (0 to 16) as the scikit-learn models have."""

    def __init__(self, seed: int = 0, epochs: int = EPOCHS):
        self.seed = seed
        self.epochs = epochs
        self.net = None

    def fit(self, images, labels):
        torch.set_num_threads(1)
        torch.manual_seed(self.seed)
        order = numpy.random.RandomState(self.seed)
        net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))
        optimizer = torch.optim.Adam(net.parameters(), lr=2e-3)
        x, y = _tensor(images), torch.as_tensor(labels, dtype=torch.long)
        net.train()
        for _ in range(self.epochs):
            shuffled = torch.as_tensor(order.permutation(len(y)))
            for start in range(0, len(y), BATCH):
                batch = shuffled[start:start + BATCH]
                optimizer.zero_grad()
                nn.functional.cross_entropy(net(x[batch]), y[batch]).backward()
                optimizer.step()
        net.eval()
        self.net = net
        return self

    def predict(self, images):
        with torch.no_grad():
            return self.net(_tensor(images)).argmax(dim=1).numpy()


def _tensor(images):
    return torch.as_tensor(numpy.asarray(images, dtype=numpy.float32) / 16.0).view(-1, 1, 8, 8)
