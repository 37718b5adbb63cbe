"""SVG screenshots of the dashboard, taken by the app itself (for the README and reviews).

    python -m parks.tui.screenshots DATABASE OUT_DIR [--size 120x36]

Each scene starts a fresh app headless, presses the keys a user would, and saves what is on the
screen with `App.save_screenshot`, so the pictures always show the current code and data.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

# (file name, keys pressed after the first paint)
SCENES: list[tuple[str, list[str]]] = [
    ("parks", []),
    ("park", ["enter"]),
    ("industries", ["2"]),
    ("metrics", ["3", "m", "down", "enter"]),
    ("article", ["3", "enter"]),
    ("search", ["4", "slash", *"光伏", "enter"]),
    ("articles", ["5"]),
    ("compare", ["space", "down", "space", "c"]),
    ("keys", ["question_mark"]),
]


async def shoot(db: Path, out: Path, size: tuple[int, int] = (120, 36),
                scenes: list[tuple[str, list[str]]] = SCENES) -> list[Path]:
    from .app import ParksApp

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for name, keys in scenes:
        app = ParksApp(db, preload=False, watch=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            saved.append(Path(app.save_screenshot(filename=f"{name}.svg", path=str(out))))
    return saved


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m parks.tui.screenshots", description=__doc__.split("\n\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--size", default="120x36", help="Terminal size, COLSxROWS [120x36].")
    args = ap.parse_args(argv)
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    for path in asyncio.run(shoot(args.db, args.out, (cols, rows))):
        print(path)


if __name__ == "__main__":
    main()
