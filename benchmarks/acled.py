"""How fast `menaka-kg import acled` maps an export, and that its memory stays flat as the export grows.

    python -m benchmarks.acled [--sizes 10k,100k] [--seed 7] [--repeat 3]

For each size it writes a seeded synthetic ACLED export (every event and sub-event type, every time
precision, 300 places and 40 actors, some of them the curated graph's), imports it in a child process and
prints the import's wall-clock and CPU time (the median of --repeat runs, each in a new child: the machine
is shared, and CPU time shows the import's own cost when other work slows the clock), rows per second,
the links written and the child's peak memory, beside a child that only loads the graph the import
matches against. The exports are synthetic: no row describes a real event.
"""

import argparse
import csv
import datetime
import random
import tempfile
import textwrap
from pathlib import Path

from benchmarks.__main__ import PEAK, child

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "acled" / "menaka-2024.csv"
CURATED_ACTORS = ["JNIM: Group for Support of Islam and Muslims", "Islamic State Sahel Province", "Wagner Group",
                  "Civilians (Mali)", "MSA: Movement for the Salvation of Azawad", "Military Forces of Mali (2021-)"]
CURATED_PLACES = [("Menaka", "Menaka", "Menaka", "Menaka"), ("Menaka", "Anderamboukane", "Anderamboukane", "Anderamboukane"),
                  ("Menaka", "Tidermene", "Tidermene", "Tidermene"), ("Gao", "Ansongo", "Tessit", "Tessit")]


def generate(path: Path, rows: int, seed: int) -> None:
    """A synthetic ACLED export of `rows` rows with the fixture's columns and event types."""
    rng = random.Random(seed)
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, templates = reader.fieldnames, list(reader)
    actors = CURATED_ACTORS + [f"Synthetic Armed Group {n} (Mali)" for n in range(34)]
    places = CURATED_PLACES + [(rng.choice(["Menaka", "Gao"]), f"Cercle {n % 12}", f"Commune {n % 40}", f"Locality {n}")
                               for n in range(296)]
    start = datetime.date(2018, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        for number in range(rows):
            row = dict(rng.choice(templates))
            day = start + datetime.timedelta(days=rng.randrange(2500))
            admin1, admin2, admin3, location = rng.choice(places)
            row.update(event_id_cnty=f"SYN{number}", year=str(day.year), time_precision=str(rng.randint(1, 3)),
                       event_date=day.isoformat() if number % 2 else f"{day.day:02d} {day:%B} {day.year}",
                       actor1=rng.choice(actors), assoc_actor_1="", admin1=admin1, admin2=admin2, admin3=admin3,
                       location=location, latitude=f"{rng.uniform(14, 18):.4f}", longitude=f"{rng.uniform(0, 4):.4f}",
                       fatalities=str(rng.choice([0, 0, 0, 1, 2, 5, 12, 40])),
                       notes=" ".join(rng.choice(["fighters", "attacked", "a village", "near", "the road", "at dawn",
                                                  "reportedly", "several", "vehicles", "withdrew"]) for _ in range(40)))
            if row["actor2"]:
                row["actor2"] = rng.choice(actors)
            writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k", help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the median is shown")
    args = parser.parse_args()
    _, baseline, _ = child(textwrap.dedent(f"""
        import menaka_kg.acled, menaka_kg
        from menaka_kg.acled import GraphReference
        GraphReference(menaka_kg.load())
        {PEAK}
        print(0, peak)
    """))
    print(f"loading the graph and its names alone: peak {baseline:.0f} MB\n")
    print(f"{'rows':>8}  {'CSV MB':>7}  {'Turtle MB':>9}  {'import s':>8}  {'CPU s':>6}  {'rows/s':>7}  {'links':>6}  "
          f"{'peak MB':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes.split(","):
            rows = SIZES[size.strip()]
            export, output = Path(folder) / f"acled-{size}.csv", Path(folder) / f"acled-{size}.ttl"
            generate(export, rows, args.seed)
            runs = []
            for _ in range(args.repeat):
                seconds, peak, out = child(textwrap.dedent(f"""
                    import time, menaka_kg
                    from menaka_kg.acled import import_acled
                    kg = menaka_kg.load()
                    start, cpu = time.perf_counter(), time.process_time()
                    summary = import_acled({str(export)!r}, {str(output)!r}, kg=kg)
                    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                    print(cpu, summary.linked)
                    {PEAK}
                    print(seconds, peak)
                """))
                cpu, links = out.strip().splitlines()[-1].split()
                runs.append((seconds, float(cpu), int(links), peak))
            seconds, cpu, links, peak = sorted(runs)[len(runs) // 2]
            print(f"{rows:>8}  {export.stat().st_size / 2**20:>7.1f}  {output.stat().st_size / 2**20:>9.1f}  "
                  f"{seconds:>8.2f}  {cpu:>6.2f}  {rows / seconds:>7.0f}  {links:>6}  {peak:>7.0f}")


if __name__ == "__main__":
    main()
