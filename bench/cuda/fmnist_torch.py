"""PyTorch eager peer of examples/fashion-mnist-{mlp,cnn}.ps1 on one device: the same models, recipes, batch sizes,
seed and data (the IDX files, standardised in memory). Prints one JSON line per epoch and one for the test accuracy.

    python3 bench/cuda/fmnist_torch.py --model cnn --device cuda --data /usr/share/datasets/fashion-mnist
"""
import argparse, gzip, json, time

import torch
import torch.nn as nn

MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    """An IDX file of unsigned bytes as a uint8 tensor of its shape."""
    with gzip.open(path, "rb") as f:
        data = bytearray(f.read())
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(data, dtype=torch.uint8, offset=4 + 4 * dims).reshape(shape)


def load(root, part, device):
    x = read_idx(f"{root}/{part}-images-idx3-ubyte.gz").to(torch.float32)
    y = read_idx(f"{root}/{part}-labels-idx1-ubyte.gz").to(torch.int64)
    x = ((x / 255.0) - MEAN) / STD
    return x.view(-1, 1, 28, 28).to(device), y.to(device)


def build(kind):
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "cnn"], required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    x_train, y_train = load(args.data, "train", device)
    x_test, y_test = load(args.data, "t10k", device)
    model = build(args.model).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    # The MLP example's default recipe: cosine annealing over the epochs and label smoothing 0.1; the CNN's: neither.
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs) if args.model == "mlp" else None
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1 if args.model == "mlp" else 0.0)
    generator = torch.Generator(device="cpu").manual_seed(args.seed)

    def synchronize():
        if device.type == "cuda":
            torch.cuda.synchronize()

    for epoch in range(1, args.epochs + 1):
        model.train()
        order = torch.randperm(len(x_train), generator=generator).to(device)
        synchronize()
        start = time.perf_counter()
        total = torch.zeros((), device=device)
        for first in range(0, len(order), args.batch_size):
            batch = order[first:first + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
            total += loss.detach() * len(batch)
        if scheduler is not None:
            scheduler.step()
        synchronize()
        seconds = time.perf_counter() - start
        print(json.dumps({"peer": "pytorch", "model": args.model, "device": args.device, "epoch": epoch,
                          "seconds": round(seconds, 4), "train_loss": round(total.item() / len(order), 5)}), flush=True)

    model.eval()
    with torch.no_grad():
        correct = sum((model(x_test[i:i + 1000]).argmax(1) == y_test[i:i + 1000]).sum().item() for i in range(0, len(x_test), 1000))
    print(json.dumps({"peer": "pytorch", "model": args.model, "device": args.device, "test_accuracy": correct / len(x_test)}), flush=True)


if __name__ == "__main__":
    main()
