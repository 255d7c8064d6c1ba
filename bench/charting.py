"""Charts for the benchmarks: matplotlib when the `bench` extra is installed."""

from typing import Any


def pyplot(say: Any = print) -> Any | None:
    """matplotlib.pyplot drawing to files, or None (and a word why) without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        say("matplotlib not installed (pip install .[bench]): no chart")
        return None
    return plt
