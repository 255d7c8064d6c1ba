"""A web worker settles at its start: what it keeps for its life is loaded, then frozen
out of the garbage collector's full collections."""

import json
import os
import subprocess
import sys


def test_a_web_worker_loads_and_freezes_what_it_keeps(tmp_path):
    probe = (
        "import gc, json\n"
        "before = gc.get_freeze_count()\n"
        "import redress.config.wsgi\n"
        "from redress.triage import engine\n"
        "import redress.web.views.console\n"
        "print(json.dumps({'before': before, 'frozen': gc.get_freeze_count(),\n"
        "                  'model': engine._model is not None,\n"
        "                  'app': callable(redress.config.wsgi.application)}))\n"
    )
    environment = {**os.environ, "REDRESS_DATA_DIR": str(tmp_path), "LOG_LEVEL": "WARNING"}
    environment.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", probe], env=environment,  # noqa: S603
                          capture_output=True, text=True, check=True, timeout=300)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["before"] == 0 and found["model"] and found["app"]
    # Django, the views and the model: far more objects than a bare interpreter holds.
    assert found["frozen"] > 50_000
