"""`wagewatch bench` runs end to end on a tiny district and the three paths agree."""

from __future__ import annotations

import json
import subprocess


def test_bench_prints_one_json_object_with_agreeing_baselines(wagewatch, tmp_path):
    res = subprocess.run(
        [
            wagewatch,
            "bench",
            "--enterprises",
            "150",
            "--months",
            "3",
            "--repeats",
            "1",
            "--singles",
            "5",
            "--workdir",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    result = json.loads(res.stdout)
    assert result["agreement"] == {
        "product_vs_sql": "identical",
        "product_vs_pandas": "identical",
        "prepared_vs_product": "identical",
    }
    assert result["full_evaluation"]["rows"] > 100
    assert result["import"]["csv"]["rows"] > 0 and result["import_problems"] == []
    assert result["single_enterprise_regrade"]["n"] == 5
    assert set(result["targets"]) == {
        "full_within_1.2x_of_sql",
        "pandas_at_least_10x_slower",
        "single_median_le_25ms",
        "csv_import_ge_200k_rows_s",
    }
