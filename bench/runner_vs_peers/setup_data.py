"""Write the same N synthetic cases for assay, Inspect AI and promptfoo.

    python bench/runner_vs_peers/setup_data.py WORKDIR N BASE_URL [--http aiohttp|httpx]

assay gets a project in WORKDIR/assay with eval set ``bench`` written straight into its
store (no ingest/profile: only the runner is measured); Inspect AI gets
WORKDIR/inspect/{task.py,cases.jsonl}; promptfoo gets WORKDIR/promptfoo/{promptfooconfig.yaml,tests.jsonl}.
Each tool scores every answer with an exact-match check, and logs every result.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert

from assay.store import Store
from assay.store._schema import cases, eval_sets

INTENTS = ["order_status", "refund_status", "password_reset"]


def main() -> None:
    work, n, base_url = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    http = sys.argv[sys.argv.index("--http") + 1] if "--http" in sys.argv else "aiohttp"
    texts = [f"case {i}: where is my order A-{100000 + i}?" for i in range(n)]

    a = work / "assay"
    a.mkdir(parents=True, exist_ok=True)
    (a / "assay.yaml").write_text(
        "project: bench\n"
        "candidates:\n"
        f"  - {{name: mock, provider: openai, model: mock-model, options: {{base_url: '{base_url}', http: {http}}}, params: {{temperature: 0}}}}\n"
        "scorers:\n  - {name: match, type: exact_match, field: intent}\n"
        "run: {concurrency: 64, retries: 3, timeout_s: 60}\n"
    )
    store = Store.at(a / ".assay" / "assay.db")
    now = datetime.now(timezone.utc)
    with store.write() as conn:
        conn.execute(eval_sets.delete())
        conn.execute(cases.delete())
        conn.execute(insert(eval_sets).values(name="bench", created_at=now, profile_id="bench", n_dev=n, n_holdout=0,
                                              content_hash="-", holdout_hash="-", params={}))
        conn.execute(insert(cases), [
            {"set_name": "bench", "case_id": f"c{i:06d}", "split": "dev", "record_ids": [f"r{i}"], "slice_id": "all",
             "weight": 1 / n, "messages": [{"role": "user", "content": t}], "reference": {"intent": "order_status"}, "meta": {}}
            for i, t in enumerate(texts)
        ])
    store.close()

    i_dir = work / "inspect"
    i_dir.mkdir(parents=True, exist_ok=True)
    (i_dir / "cases.jsonl").write_text("".join(json.dumps({"input": t, "target": "order_status"}) + "\n" for t in texts))
    (i_dir / "task.py").write_text(
        "from inspect_ai import Task, task\n"
        "from inspect_ai.dataset import json_dataset\n"
        "from inspect_ai.scorer import match\n"
        "from inspect_ai.solver import generate\n\n"
        "@task\n"
        "def bench():\n"
        "    return Task(dataset=json_dataset('cases.jsonl'), solver=generate(), scorer=match())\n"
    )

    p_dir = work / "promptfoo"
    p_dir.mkdir(parents=True, exist_ok=True)
    (p_dir / "tests.jsonl").write_text(
        "".join(json.dumps({"vars": {"q": t}, "assert": [{"type": "equals", "value": "order_status"}]}) + "\n" for t in texts)
    )
    (p_dir / "promptfooconfig.yaml").write_text(
        "prompts: ['{{q}}']\n"
        "providers:\n"
        f"  - id: openai:chat:mock-model\n    config: {{apiBaseUrl: '{base_url}', apiKey: x, temperature: 0}}\n"
        "tests: file://tests.jsonl\n"
        "outputPath: results.json\n"
    )


if __name__ == "__main__":
    main()
