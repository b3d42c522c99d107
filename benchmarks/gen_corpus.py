#!/usr/bin/env python3
"""Write synthetic, valid case files for the benchmarks (standard library only).

    python benchmarks/gen_corpus.py OUT_DIR N [--seed S] [--bad-every K]

Each case is random but plausible under the data contract: a cluster, the
four questions, an offering, technologies, and a value network of 3 to 12
roles around a focal role, each partner giving something and being paid.
With `--bad-every K` every K-th case has one flow to a role that does not
exist, so a validator has real errors to find. The same seed writes the same
files, so runs can be compared.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

CLUSTERS = (
    "efficiency",
    "smart-product-as-a-service",
    "marketplace",
    "data-trustee",
    "mass-customisation",
    "as-a-service",
)
REVENUE = ("one-off-sale", "subscription", "pay-per-use", "leasing", "commission", "platform-fee", "service-fee")
TECHNOLOGIES = ("cps", "cloud", "edge", "iiot-platform", "digital-twin", "big-data", "ai")
GIVING = ("goods", "service", "data", "usage-right")
ROLE_TYPES = ("customer", "supplier", "platform-provider", "service-provider", "logistics-provider", "insurer")
COUNTRIES = ("DE", "AT", "CH", "FR", "IT", "CN", "JP", "US")
VOCABULARY = [
    "machine",
    "data",
    "platform",
    "order",
    "supplier",
    "customer",
    "plant",
    "service",
    "fleet",
    "sensor",
    "maintenance",
    "design",
    "analytics",
    "partner",
    "delivery",
    "quality",
    "energy",
    "spare",
    "part",
]


def sentence(rng: random.Random, words: int) -> str:
    """A line of filler text: plain words only, so it never needs quoting in YAML."""
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize()


def case_text(rng: random.Random, number: int, *, defect: bool) -> tuple[str, str]:
    """The id and YAML text of case `number`."""
    cid = f"synthetic-{number:06d}"
    roles = [f"r{k}" for k in range(rng.randint(3, 12))]
    out = [
        f"id: {cid}",
        f"name: Synthetic case {number}",
        f"company: Example {number} GmbH",
        f'country: "{rng.choice(COUNTRIES)}"',
        f"company_size: {rng.choice(('sme', 'large'))}",
        f"year: {rng.randint(2012, 2025)}",
        f"cluster: {rng.choice(CLUSTERS)}",
        f"summary: {sentence(rng, 25)}",
        "sources:",
        f"  - title: Generated for the benchmarks, case {number}",
        "business_model:",
        *[f"  {q}: {sentence(rng, 7)}" for q in ("who", "what", "how", "value")],
        "changes:",
        *[f"  {q}: {rng.choice(('true', 'false'))}" for q in ("who", "what", "how", "value")],
        "offering:",
        f"  access: {rng.choice(('internal', 'closed', 'open'))}",
        f"  revenue: [{', '.join(rng.sample(REVENUE, rng.randint(1, 3)))}]",
        f"technologies: [{', '.join(rng.sample(TECHNOLOGIES, rng.randint(1, 3)))}]",
        "network:",
        f"  focal: {roles[0]}",
        "  roles:",
    ]
    for k, rid in enumerate(roles):
        out += [f"    - id: {rid}", f"      name: {sentence(rng, 2)} {k}"]
        if k == 0:
            out.append("      external: false")
        else:
            out += [f"      type: {rng.choice(ROLE_TYPES)}", f"      count: {rng.choice((1, 2, 10, 250))}"]
    out.append("  flows:")
    for rid in roles[1:]:
        out.append(f"    - {{from: {rid}, to: {roles[0]}, kind: {rng.choice(GIVING)}, what: {sentence(rng, 2)}}}")
        out.append(f"    - {{from: {roles[0]}, to: {rid}, kind: money, what: Payment}}")
    if defect:
        out.append(f"    - {{from: {roles[0]}, to: nobody, kind: data, what: {sentence(rng, 2)}}}")
    return cid, "\n".join(out) + "\n"


def generate(folder: Path, count: int, *, seed: int = 1, bad_every: int = 0) -> list[Path]:
    """Write `count` cases into `folder` and return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        defect = bad_every > 0 and number % bad_every == bad_every - 1
        cid, text = case_text(rng, number, defect=defect)
        path = folder / f"{cid}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad-every", type=int, default=0, metavar="K")
    args = parser.parse_args()
    generate(args.out_dir, args.n, seed=args.seed, bad_every=args.bad_every)


if __name__ == "__main__":
    main()
