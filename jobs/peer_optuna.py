#!/usr/bin/python3
"""The Optuna peer of jobs/bench-peers (issue 14): what a user would pick instead of Caviar.

Optuna's TPE sampler with its Hyperband pruner searches the space of conf/fashion-mnist.conf over
the same BN-MLP family (jobs/bench_torch.py's layers: Linear without bias -> BatchNorm1d -> ReLU
-> dropout, affine softmax output, He initialisation), trained in PyTorch with Adam, L2 on the
weight matrices only (lambda / N per example, Caviar's convention) and Caviar's learning-rate decay
rules. Two worker processes, one torch thread each, share one study through a journal file; a
trial reports its validation accuracy after every epoch and Hyperband stops the unpromising ones
(resource = epochs, 1 to --max-epochs, reduction factor 3). The search stops at the budget minus
the share reserved for the final model; the best configuration is then retrained on all training
rows (training + validation) for as many epochs as its trial ran (fewer if the next epoch would
end past the budget), and scored on the standard test set. Prints key=value lines prefixed "optuna." for jobs/bench-peers.

Run with /usr/bin/python3 (Debian python3-optuna 3.1, python3-torch 1.13):
  peer_optuna.py --seed 7 [--budget MIN] [--subset N] [--max-epochs 30] [--workers 2]
"""
import argparse
import warnings
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in jobs/ from the import below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_torch import idx  # noqa: E402  (the IDX reader of the trainer benchmark)

# JournalStorage is "experimental" in Optuna 3.1 and says so at every open.
warnings.filterwarnings("ignore", message="JournalStorage is experimental")

# conf/fashion-mnist.conf's first-round space, each parameter on the same scale.
SPACE = {
    "learningRate": (3e-4, 3e-3),  # log
    "layers": (1, 3),  # int
    "units": (256, 1024),  # integer on a log scale
    "dropout": (0.1, 0.5),  # linear
    "l2": (4e-4, 0.4),  # log
    "batchSize": (64, 128, 256),  # powers of two
    "oneMinusBeta1": (0.01, 0.2),  # beta1 in [0.8, 0.99], log of 1 - beta1
    "oneMinusBeta2": (1e-4, 1e-2),  # beta2 in [0.99, 0.9999], log of 1 - beta2
    "decay": ("none", "inverseTime", "exponential"),
    "decayRate": (0.01, 0.5),  # log, only with a decay
}
VALIDATION_FRACTION = 0.2  # data.validationFraction of conf/fashion-mnist.conf


def data(directory, seed, subset):
    """Pixels scaled to [0, 1], standardised with the training rows' statistics (as Caviar)."""
    xtr = idx(f"{directory}/train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float32)
    ytr = idx(f"{directory}/train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = idx(f"{directory}/t10k-images-idx3-ubyte.gz").reshape(10000, -1).astype(np.float32)
    yte = idx(f"{directory}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(ytr))
    if subset:
        order = order[:subset]
    xtr, ytr = xtr[order] / 255, ytr[order]
    xte = xte / 255
    mean = xtr.astype(np.float64).mean(axis=0)
    std = xtr.astype(np.float64).std(axis=0)
    inv = np.where(std > 1e-8, 1 / np.maximum(std, 1e-300), 1.0)
    xtr = ((xtr - mean) * inv).astype(np.float32)
    xte = ((xte - mean) * inv).astype(np.float32)
    return xtr, ytr, xte, yte


def suggest(trial):
    s = SPACE
    p = {
        "learningRate": trial.suggest_float("learningRate", *s["learningRate"], log=True),
        "layers": trial.suggest_int("layers", *s["layers"]),
        "units": trial.suggest_int("units", *s["units"], log=True),
        "dropout": trial.suggest_float("dropout", *s["dropout"]),
        "l2": trial.suggest_float("l2", *s["l2"], log=True),
        "batchSize": trial.suggest_categorical("batchSize", s["batchSize"]),
        "beta1": 1 - trial.suggest_float("oneMinusBeta1", *s["oneMinusBeta1"], log=True),
        "beta2": 1 - trial.suggest_float("oneMinusBeta2", *s["oneMinusBeta2"], log=True),
        "decay": trial.suggest_categorical("decay", s["decay"]),
    }
    if p["decay"] != "none":
        p["decayRate"] = trial.suggest_float("decayRate", *s["decayRate"], log=True)
    return p


def params_of(frozen):
    """The training parameters of a stored trial (betas back from 1 - beta)."""
    p = dict(frozen.params)
    p["beta1"] = 1 - p.pop("oneMinusBeta1")
    p["beta2"] = 1 - p.pop("oneMinusBeta2")
    return p


def network(torch, nn, inputs, p):
    layers = []
    width = inputs
    for _ in range(p["layers"]):
        linear = nn.Linear(width, p["units"], bias=False)
        nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")  # Caviar's init = he
        layers += [linear, nn.BatchNorm1d(p["units"], eps=1e-5, momentum=0.1), nn.ReLU()]
        if p["dropout"] > 0:
            layers.append(nn.Dropout(p["dropout"]))
        width = p["units"]
    out = nn.Linear(width, 10)
    nn.init.kaiming_normal_(out.weight, nonlinearity="linear")
    layers.append(out)
    return nn.Sequential(*layers)


class Training:
    """One network and its optimizer, trained an epoch at a time."""

    def __init__(self, torch, nn, p, n, seed):
        self.torch, self.p = torch, p
        torch.manual_seed(seed)
        self.model = network(torch, nn, 784, p)
        weights = [m.weight for m in self.model if isinstance(m, nn.Linear)]
        ids = {id(w) for w in weights}
        rest = [q for q in self.model.parameters() if id(q) not in ids]
        # Caviar's L2: lambda/(2N) ||W||^2 on weight matrices only, so the gradient gains
        # (lambda / N) W whatever the batch size; Adam's coupled weight_decay adds exactly that.
        self.opt = torch.optim.Adam(
            [{"params": weights, "weight_decay": p["l2"] / n}, {"params": rest}],
            lr=p["learningRate"],
            betas=(p["beta1"], p["beta2"]),
            eps=1e-8,
        )
        self.gen = torch.Generator().manual_seed(seed)
        self.loss = nn.CrossEntropyLoss()
        self.epoch = 0

    def rate(self):
        p, e = self.p, self.epoch
        if p["decay"] == "inverseTime":
            return p["learningRate"] / (1 + p["decayRate"] * e)
        if p["decay"] == "exponential":
            return p["learningRate"] * p["decayRate"] ** e
        return p["learningRate"]

    def train_epoch(self, x, y):
        torch = self.torch
        for g in self.opt.param_groups:
            g["lr"] = self.rate()
        self.model.train()
        order = torch.randperm(x.shape[0], generator=self.gen)
        b = self.p["batchSize"]
        for start in range(0, x.shape[0], b):
            rows = order[start:start + b]
            if rows.shape[0] < 2:  # BN cannot train on a batch of one (Caviar drops it too)
                continue
            self.opt.zero_grad(set_to_none=True)
            loss = self.loss(self.model(x[rows]), y[rows])
            loss.backward()
            self.opt.step()
        self.epoch += 1

    def accuracy(self, x, y):
        self.model.eval()
        with self.torch.no_grad():
            return (self.model(x).argmax(1) == y).float().mean().item()


def worker(a):
    import optuna
    import torch
    from torch import nn

    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    xtr, ytr, _, _ = data(a.data, a.seed, a.subset)
    cut = int(round(len(ytr) * (1 - VALIDATION_FRACTION)))
    x, y = torch.from_numpy(xtr[:cut]), torch.from_numpy(ytr[:cut])
    vx, vy = torch.from_numpy(xtr[cut:]), torch.from_numpy(ytr[cut:])
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(a.journal))
    study = optuna.load_study(
        study_name="peer",
        storage=storage,
        # Each worker its own sampler seed: the same seed in both would propose the same
        # configurations while the first trials are still running.
        sampler=optuna.samplers.TPESampler(seed=a.seed * 100 + a.worker),
        pruner=optuna.pruners.HyperbandPruner(
            min_resource=1, max_resource=a.max_epochs, reduction_factor=3
        ),
    )

    def objective(trial):
        p = suggest(trial)
        t = Training(torch, nn, p, len(y), a.seed * 1000 + trial.number)
        acc = float("nan")
        for e in range(a.max_epochs):
            if time.time() >= a.deadline:
                trial.set_user_attr("cut_by_budget", True)
                raise optuna.TrialPruned()
            t.train_epoch(x, y)
            acc = t.accuracy(vx, vy)
            if not math.isfinite(acc):
                raise optuna.TrialPruned()
            trial.report(acc, e + 1)
            trial.set_user_attr("epochs", e + 1)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return acc

    def stop_at_deadline(study, _trial):
        if time.time() >= a.deadline:
            study.stop()

    study.optimize(objective, callbacks=[stop_at_deadline], timeout=max(1, a.deadline - time.time()))


def best_trial(study, optuna):
    """The best finished trial; with none finished, the best last report of a pruned one."""
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if done:
        return max(done, key=lambda t: t.value), "complete"
    reported = [t for t in study.trials if t.intermediate_values]
    if not reported:
        return None, "none"
    last = lambda t: t.intermediate_values[max(t.intermediate_values)]  # noqa: E731
    return max(reported, key=last), "pruned"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--budget", type=float, default=15, help="wall minutes, final model included")
    p.add_argument("--final-share", type=float, default=0.3,
                   help="share of the budget kept for the final model (Caviar's: ~1/3)")
    p.add_argument("--subset", type=int, default=0, help="training rows used (0: all 60000)")
    p.add_argument("--max-epochs", type=int, default=30)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    # Internal: a worker process.
    p.add_argument("--worker", type=int, default=-1)
    p.add_argument("--journal")
    p.add_argument("--deadline", type=float)
    a = p.parse_args()
    if a.worker >= 0:
        worker(a)
        return

    import optuna
    import torch
    from torch import nn

    start = time.time()
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="peer-optuna-") as tmp:
        journal = os.path.join(tmp, "journal.log")
        storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(journal))
        optuna.create_study(study_name="peer", storage=storage, direction="maximize")
        deadline = start + 60 * a.budget * (1 - a.final_share)
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
        args = [sys.executable, os.path.abspath(__file__), "--seed", str(a.seed), "--subset",
                str(a.subset), "--max-epochs", str(a.max_epochs), "--data", a.data,
                "--journal", journal, "--deadline", repr(deadline)]
        procs = [subprocess.Popen(args + ["--worker", str(w)], env=env) for w in range(a.workers)]
        codes = [q.wait() for q in procs]
        if any(codes):
            sys.exit(f"optuna peer: a worker failed with exit codes {codes}")
        study = optuna.load_study(study_name="peer", storage=storage)
        search_s = time.time() - start
        best, how = best_trial(study, optuna)
        states = [t.state.name for t in study.trials]
        print(f"optuna.version={optuna.__version__} torch={torch.__version__}")
        print(f"optuna.trials={len(study.trials)} complete={states.count('COMPLETE')}"
              f" pruned={states.count('PRUNED')} failed={states.count('FAIL')}")
        print(f"optuna.search_seconds={search_s:.1f}")
        if best is None:
            sys.exit("optuna peer: no trial reported a score within the budget")
        params = params_of(best)
        epochs = best.user_attrs.get("epochs", max(best.intermediate_values))
        val = best.value if how == "complete" else best.intermediate_values[epochs]
        print(f"optuna.best_trial={best.number} ({how}) validation_accuracy={val:.4f}"
              f" epochs={epochs} params={params}")

    xtr, ytr, xte, yte = data(a.data, a.seed, a.subset)
    x, y = torch.from_numpy(xtr), torch.from_numpy(ytr)
    final = Training(torch, nn, params, len(y), a.seed * 1000 + 999)
    t0 = time.time()
    end = start + 60 * a.budget
    for e in range(epochs):
        began = time.time()
        final.train_epoch(x, y)
        # Equal budget: stop before an epoch that would end past it (the decay schedule still
        # holds for the epochs run); the line below says how many ran.
        if e + 1 < epochs and time.time() + (time.time() - began) > end:
            break
    test = final.accuracy(torch.from_numpy(xte), torch.from_numpy(yte))
    print(f"optuna.final_epochs={final.epoch} of {epochs}")
    print(f"optuna.final_seconds={time.time() - t0:.1f}")
    print(f"optuna.test_accuracy={test:.4f}")
    print(f"optuna.wall_seconds={time.time() - start:.1f}")


if __name__ == "__main__":
    main()
