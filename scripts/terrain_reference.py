"""The risk terrain's unpenalised refit, done again by statsmodels.

Reads the design matrix `patroliq risk --layer … --design DESIGN.csv` wrote (cell, lat, lon,
response, then one column per selected factor) and fits a Poisson GLM (log link, intercept) of the
response on the factor columns by IRLS to a tight tolerance; writes the intercept, each factor's
coefficient, standard error, relative risk exp(coef) and Wald 95 % interval to OUT.json, for
crates/patroliq-cli/tests/cli.rs to compare with the CLI's `factors` to 1e-6.

    .venv/bin/python scripts/terrain_reference.py DESIGN.csv OUT.json
"""

import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm


def main(design_path: str, out_path: str) -> None:
    design = pd.read_csv(design_path)
    y = design["response"].to_numpy(dtype=float)
    factors = design.columns[4:]
    x = sm.add_constant(design[factors].to_numpy(dtype=float), has_constant="add")
    fit = sm.GLM(y, x, family=sm.families.Poisson()).fit(method="IRLS", tol=1e-13, maxiter=500)
    ci = np.asarray(fit.conf_int(alpha=0.05))
    out = {
        "statsmodels": sm.__version__,
        "rows": int(len(y)),
        "intercept": float(fit.params[0]),
        "factors": [
            {
                "column": name,
                "coefficient": float(fit.params[k + 1]),
                "std_error": float(fit.bse[k + 1]),
                "relative_risk": float(np.exp(fit.params[k + 1])),
                "interval": [float(np.exp(ci[k + 1, 0])), float(np.exp(ci[k + 1, 1]))],
            }
            for k, name in enumerate(factors)
        ],
    }
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1)
    print(f"terrain reference: {len(factors)} factors on {len(y)} cells, statsmodels {sm.__version__}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
