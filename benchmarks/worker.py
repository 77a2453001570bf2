"""Child-process entry: `worker.py MODULE.FUNCTION RESULT_FILE JSON_ARGS`.

Runs one benchmark task in a fresh interpreter and writes what it returns, as JSON, to
RESULT_FILE. bench.py starts these through common.run_child, which also takes the child's peak
RSS from the kernel.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import desktop_search  # noqa: F401  (first: sets ORT_DISABLE_TELEMETRY before onnxruntime loads)


def main() -> None:
    task, result_file, arguments = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
    module_name, function_name = task.split(".", 1)
    function = getattr(importlib.import_module(module_name), function_name)
    result = function(*arguments)
    result_file.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
