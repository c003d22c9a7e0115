#!/usr/bin/env python3
"""Compare `siting plan` with peer clustering methods on the same households.

Methods (each run in its own fresh process so that peak RSS is per method):
  siting       `SITING plan FILE --out DIR --target T --tolerance TOL --seed S`
  kmc          k-means-constrained KMeansConstrained(n_clusters=k, size_min=L,
               size_max=U, random_state=S), library defaults otherwise
  sklearn      scikit-learn KMeans(n_clusters=k, random_state=S, n_init=1),
               unconstrained lower reference for SSE

Every partition is scored by the same code in the same plane (one shared
azimuthal equidistant projection): SSE to recomputed centroids, mean distance to
centroid, min/max cluster size and whether every size lies in [L, U].

Run through run.sh, which provides a venv with numpy, scikit-learn and
k-means-constrained. See README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

T_START = time.perf_counter()  # before the numpy import, for the workers' start-up time

import numpy as np  # noqa: E402

EARTH_RADIUS_M = 6371008.8
TIME_BIN = "/usr/bin/time"
INT32_MAX = 2**31 - 1
RSS_SOURCE = "/usr/bin/time -v"
RSS_SOURCE_FALLBACK = "os.wait4 rusage via python -I -S fork wrapper"


# --------------------------------------------------------------------------
# Shared geometry and scoring (used for every method)
# --------------------------------------------------------------------------

def project_aeqd(lon_deg: np.ndarray, lat_deg: np.ndarray,
                 lon0_deg: float | None = None, lat0_deg: float | None = None):
    """Spherical azimuthal equidistant projection centred on (lon0, lat0).

    Defaults to the arithmetic mean lon/lat of the input (fine for data that do
    not straddle the antimeridian). Returns (xy[n, 2] in metres, lon0, lat0).
    Distances from the centre are exact great-circle distances on a sphere of
    radius EARTH_RADIUS_M.
    """
    lon = np.asarray(lon_deg, dtype=np.float64)
    lat = np.asarray(lat_deg, dtype=np.float64)
    if lon0_deg is None:
        lon0_deg = float(lon.mean())
    if lat0_deg is None:
        lat0_deg = float(lat.mean())
    lam = np.radians(lon)
    phi = np.radians(lat)
    lam0 = math.radians(lon0_deg)
    phi0 = math.radians(lat0_deg)
    dlam = lam - lam0
    cos_phi = np.cos(phi)
    # (xs, ys) = sin(c) * unit direction; cos_c = cos of angular distance c.
    xs = cos_phi * np.sin(dlam)
    ys = math.cos(phi0) * np.sin(phi) - math.sin(phi0) * cos_phi * np.cos(dlam)
    cos_c = math.sin(phi0) * np.sin(phi) + math.cos(phi0) * cos_phi * np.cos(dlam)
    sin_c = np.hypot(xs, ys)
    c = np.arctan2(sin_c, cos_c)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(sin_c > 0.0, c / sin_c, 1.0)
    xy = np.empty((lon.size, 2), dtype=np.float64)
    xy[:, 0] = EARTH_RADIUS_M * scale * xs
    xy[:, 1] = EARTH_RADIUS_M * scale * ys
    return xy, lon0_deg, lat0_deg


def siting_bounds(w: int, target: float, tolerance: float):
    """k, L, U exactly as siting defines them (Rust f64 semantics).

    k = max(1, round(W/T)) with Rust's f64::round (half away from zero; for
    positive x that is floor(x + 0.5)), L = floor((1-TOL)*W/k),
    U = ceil((1+TOL)*W/k). Evaluation order matches `(1.0 - tol) * w / k`.
    """
    x = float(w) / float(target)
    k = max(1, int(math.floor(x + 0.5)))
    lo = int(math.floor((1.0 - tolerance) * float(w) / float(k)))
    hi = int(math.ceil((1.0 + tolerance) * float(w) / float(k)))
    return k, lo, hi


def score_partition(xy: np.ndarray, labels: np.ndarray, lo: int, hi: int, k: int):
    """Metrics of a partition, computed identically for every method.

    labels: int array in [0, m). Centroids are recomputed from the partition
    (unit weight per point) in the shared plane.
    """
    labels = np.asarray(labels, dtype=np.int64)
    _, inv = np.unique(labels, return_inverse=True)
    m = int(inv.max()) + 1 if inv.size else 0
    counts = np.bincount(inv, minlength=m).astype(np.float64)
    cx = np.bincount(inv, weights=xy[:, 0], minlength=m) / counts
    cy = np.bincount(inv, weights=xy[:, 1], minlength=m) / counts
    dx = xy[:, 0] - cx[inv]
    dy = xy[:, 1] - cy[inv]
    d2 = dx * dx + dy * dy
    sizes = counts.astype(np.int64)
    # Mean distance to each cluster's geometric median (Weiszfeld), the ideal center a
    # household travels to: the "mean distance" siting reports for its own catchments.
    gx, gy = cx.copy(), cy.copy()
    for _ in range(100):
        d = np.maximum(np.hypot(xy[:, 0] - gx[inv], xy[:, 1] - gy[inv]), 1e-9)
        w = 1.0 / d
        sw = np.bincount(inv, weights=w, minlength=m)
        nx = np.bincount(inv, weights=xy[:, 0] * w, minlength=m) / sw
        ny = np.bincount(inv, weights=xy[:, 1] * w, minlength=m) / sw
        step = float(np.max(np.hypot(nx - gx, ny - gy))) if m else 0.0
        gx, gy = nx, ny
        if step < 1e-4:
            break
    median_d = np.hypot(xy[:, 0] - gx[inv], xy[:, 1] - gy[inv])
    return {
        "median_dist_m": float(median_d.mean()),
        "n_points": int(xy.shape[0]),
        "n_clusters": m,
        "n_clusters_expected": k,
        "sse_m2": float(d2.sum()),
        "mean_dist_m": float(np.sqrt(d2).mean()),
        "max_dist_m": float(np.sqrt(d2.max())) if d2.size else 0.0,
        "min_size": int(sizes.min()) if m else 0,
        "max_size": int(sizes.max()) if m else 0,
        "sizes_in_bounds": bool(m == k and sizes.min() >= lo and sizes.max() <= hi),
    }


# --------------------------------------------------------------------------
# Data I/O
# --------------------------------------------------------------------------

def read_households(path: Path):
    """Return (ids: list[str], lon, lat). Extra columns are ignored."""
    ids, lon, lat = [], [], []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        try:
            i_id = header.index("household_id")
            i_lon = header.index("lon")
            i_lat = header.index("lat")
        except ValueError as e:
            raise SystemExit(f"{path}: header {header} lacks household_id/lon/lat") from e
        for row in reader:
            if not row:
                continue
            ids.append(row[i_id])
            lon.append(float(row[i_lon]))
            lat.append(float(row[i_lat]))
    return ids, np.asarray(lon), np.asarray(lat)


def read_siting_assignments(path: Path, ids: list[str]):
    """Map siting's assignments.csv onto the household row order.

    Returns (labels int array, reported mean distance_m or None). Raises
    ValueError if a household is missing, unknown or assigned twice.
    """
    index = {h: i for i, h in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError("household_id values in the input are not unique")
    labels = np.full(len(ids), -1, dtype=np.int64)
    cat_ids: dict[str, int] = {}
    dist_sum, dist_n = 0.0, 0
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
        i_h = header.index("household_id")
        i_c = header.index("catchment_id")
        i_d = header.index("distance_m") if "distance_m" in header else None
        for row in reader:
            if not row:
                continue
            h = row[i_h]
            if h not in index:
                raise ValueError(f"assignments.csv: unknown household_id {h!r}")
            j = index[h]
            if labels[j] != -1:
                raise ValueError(f"assignments.csv: household_id {h!r} assigned twice")
            labels[j] = cat_ids.setdefault(row[i_c], len(cat_ids))
            if i_d is not None and row[i_d] != "":
                dist_sum += float(row[i_d])
                dist_n += 1
    missing = int((labels < 0).sum())
    if missing:
        raise ValueError(f"assignments.csv: {missing} households not assigned")
    return labels, (dist_sum / dist_n if dist_n else None)


# --------------------------------------------------------------------------
# Measured subprocess runs
# --------------------------------------------------------------------------

# Fallback when /usr/bin/time is absent. Linux carries a process's RSS high-water
# mark across fork+exec, so the target must be forked from a small process, not
# from this one (which may hold a million households): a bare `python -I -S`
# (~10 MB) forks, execs the target and writes the target's ru_maxrss (KiB).
_RSS_WRAPPER = (
    "import os,sys\n"
    "pid=os.fork()\n"
    "if pid==0:\n"
    "    try: os.execvp(sys.argv[2],sys.argv[2:])\n"
    "    finally: os._exit(127)\n"
    "_,st,ru=os.wait4(pid,0)\n"
    "open(sys.argv[1],'w').write('Maximum resident set size (kbytes): %d\\n'%ru.ru_maxrss)\n"
    "sys.exit(os.waitstatus_to_exitcode(st) & 255)\n"
)


def run_measured(cmd: list[str], log_prefix: Path, timeout: float | None):
    """Run cmd in a fresh process; return dict(wall_s, peak_rss_mb, rc, ...).

    Peak RSS comes from GNU time -v if /usr/bin/time exists (Debian package
    `time`), else from a minimal Python wrapper that forks the target and reads
    its ru_maxrss via os.wait4 (same kernel number). Either way the floor is
    the RSS of the forking process (~2 MB for time, ~10 MB for the wrapper).
    Wall time is measured here with perf_counter (includes that fork/exec).
    """
    out_f = open(f"{log_prefix}.stdout", "wb")
    err_f = open(f"{log_prefix}.stderr", "wb")
    time_file = Path(f"{log_prefix}.time")
    if time_file.exists():
        time_file.unlink()
    use_time = os.access(TIME_BIN, os.X_OK)
    if use_time:
        full = [TIME_BIN, "-v", "-o", str(time_file)] + cmd
    else:
        full = [sys.executable, "-I", "-S", "-c", _RSS_WRAPPER, str(time_file)] + cmd
    t0 = time.perf_counter()
    proc = subprocess.Popen(full, stdout=out_f, stderr=err_f, start_new_session=True)
    timed_out = False
    if timeout:
        deadline = t0 + timeout
        while True:
            pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, 9)
                _, status, _ = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    else:
        _, status, _ = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_f.close()
    err_f.close()
    peak_kb = None
    if time_file.exists():
        m = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", time_file.read_text())
        if m:
            peak_kb = int(m.group(1))
    # No file (e.g. killed on timeout): report no peak rather than the rusage of
    # the process forked from here, which inherits this process's high-water mark.
    return {
        "cmd": cmd,
        "rc": proc.returncode,
        "timed_out": timed_out,
        "wall_s": wall,
        "peak_rss_mb": peak_kb / 1024.0 if peak_kb is not None else None,
        "rss_source": RSS_SOURCE if use_time else RSS_SOURCE_FALLBACK,
        "stderr_tail": Path(f"{log_prefix}.stderr").read_text(errors="replace")[-2000:],
    }


# --------------------------------------------------------------------------
# Worker (runs inside the fresh per-method process)
# --------------------------------------------------------------------------

def worker_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="compare.py _worker")
    ap.add_argument("method", choices=["kmc", "sklearn"])
    ap.add_argument("--points", required=True)
    ap.add_argument("--k", type=int, required=True)
    ap.add_argument("--lo", type=int, required=True)
    ap.add_argument("--hi", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--scale", type=float, default=1.0,
                    help="multiply planar metres by this before fitting")
    ap.add_argument("--labels-out", required=True)
    ap.add_argument("--meta-out", required=True)
    a = ap.parse_args(argv)

    meta: dict = {"method": a.method}
    if a.method == "kmc":
        from k_means_constrained import KMeansConstrained
    else:
        from sklearn.cluster import KMeans
    import resource

    xy = np.load(a.points)
    x = xy * a.scale if a.scale != 1.0 else xy
    # What the process holds before fitting: interpreter, imports, the points.
    meta["rss_before_fit_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    meta["startup_s"] = time.perf_counter() - T_START
    t0 = time.perf_counter()
    if a.method == "kmc":
        n = x.shape[0]
        hi = min(a.hi, n)  # the library rejects size_max > n_samples (k == 1)
        model = KMeansConstrained(n_clusters=a.k, size_min=a.lo, size_max=hi,
                                  random_state=a.seed)
        model.fit(x)
        labels = model.labels_
        meta["params"] = {kk: (vv if isinstance(vv, (int, float, str, bool, type(None))) else repr(vv))
                          for kk, vv in model.get_params().items()}
        meta["size_max_passed"] = hi
        meta["n_iter"] = int(model.n_iter_)
        meta["inertia_reported"] = float(model.inertia_) / (a.scale ** 2)
    else:
        model = KMeans(n_clusters=a.k, random_state=a.seed, n_init=1)
        model.fit(x)
        labels = model.labels_
        meta["params"] = {kk: (vv if isinstance(vv, (int, float, str, bool, type(None))) else repr(vv))
                          for kk, vv in model.get_params().items()}
        meta["n_iter"] = int(model.n_iter_)
        meta["inertia_reported"] = float(model.inertia_) / (a.scale ** 2)
    meta["fit_s"] = time.perf_counter() - t0
    np.save(a.labels_out, np.asarray(labels, dtype=np.int64))
    Path(a.meta_out).write_text(json.dumps(meta))
    return 0


# --------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------

def pkg_version(name: str):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


def machine_info(siting: str):
    info = {
        "date_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "packages": {p: pkg_version(p) for p in
                     ["numpy", "scipy", "scikit-learn", "k-means-constrained", "ortools"]},
        "rss_source": RSS_SOURCE if os.access(TIME_BIN, os.X_OK) else RSS_SOURCE_FALLBACK,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["mem_total_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    for var in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"]:
        if var in os.environ:
            info.setdefault("env", {})[var] = os.environ[var]
    try:
        r = subprocess.run([siting, "--version"], capture_output=True, text=True, timeout=30)
        info["siting_version"] = (r.stdout or r.stderr).strip().splitlines()[0] if r.returncode == 0 else None
    except Exception:
        info["siting_version"] = None
    try:
        r = subprocess.run(["git", "-C", str(Path(siting).resolve().parent), "rev-parse", "--short", "HEAD"],
                           capture_output=True, text=True, timeout=30)
        info["git_commit"] = r.stdout.strip() if r.returncode == 0 else None
        if info["git_commit"]:
            r = subprocess.run(["git", "-C", str(Path(siting).resolve().parent), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True, timeout=30)
            info["git_dirty"] = bool(r.stdout.strip())
    except Exception:
        info["git_commit"] = None
    return info


def log(msg: str):
    print(f"[compare {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_dataset(args, csv_path: Path, label: str, methods: list[str], workdir: Path):
    """Run all `methods` on one households file. Returns a dataset dict."""
    ids, lon, lat = read_households(csv_path)
    w = len(ids)
    k, lo, hi = siting_bounds(w, args.target, args.tolerance)
    xy, lon0, lat0 = project_aeqd(lon, lat)
    ds_dir = workdir / f"run_{label}"
    ds_dir.mkdir(parents=True, exist_ok=True)
    pts = ds_dir / "points_xy.npy"
    np.save(pts, xy)
    extent = float(np.hypot(*(xy.max(axis=0) - xy.min(axis=0))))
    # k-means-constrained rounds distance*1000 into int32 flow costs; keep the
    # largest possible distance (the bbox diagonal) well below 2^31/1000.
    kmc_scale, kmc_unit = (1.0, "m") if extent * 1000 < 0.9 * INT32_MAX else (1e-3, "km")
    ds = {"label": label, "file": str(csv_path), "W": w, "k": k, "L": lo, "U": hi,
          "proj_center_lon": lon0, "proj_center_lat": lat0, "bbox_diagonal_m": extent,
          "kmc_input_unit": kmc_unit, "methods": {}}
    log(f"{label}: W={w} k={k} L={lo} U={hi} (bbox diagonal {extent / 1000:.1f} km)")

    timeout = args.method_timeout or None
    for method in methods:
        res: dict = {"method": method}
        if method == "siting":
            out_dir = ds_dir / "siting_plan"
            if out_dir.exists():
                shutil.rmtree(out_dir)
            cmd = [args.siting, "plan", str(csv_path), "--out", str(out_dir),
                   "--target", str(int(args.target)) if float(args.target).is_integer() else repr(args.target), "--tolerance", repr(args.tolerance),
                   "--seed", str(args.seed)]
        else:
            labels_path = ds_dir / f"{method}_labels.npy"
            meta_path = ds_dir / f"{method}_meta.json"
            for p in (labels_path, meta_path):
                if p.exists():
                    p.unlink()
            cmd = [sys.executable, os.path.abspath(__file__), "_worker", method,
                   "--points", str(pts), "--k", str(k), "--lo", str(lo), "--hi", str(hi),
                   "--seed", str(args.seed),
                   "--scale", repr(kmc_scale if method == "kmc" else 1.0),
                   "--labels-out", str(labels_path), "--meta-out", str(meta_path)]
        log(f"{label}: running {method} ...")
        m = run_measured(cmd, ds_dir / method, timeout)
        res.update(m)
        if m["timed_out"]:
            res["error"] = f"timed out after {timeout:g} s"
        elif m["rc"] != 0:
            res["error"] = f"exit code {m['rc']}"
        else:
            try:
                if method == "siting":
                    labels, rep = read_siting_assignments(out_dir / "assignments.csv", ids)
                    res["siting_reported_mean_distance_m"] = rep
                else:
                    labels = np.load(labels_path)
                    res.update(json.loads(meta_path.read_text()))
                res.update(score_partition(xy, labels, lo, hi, k))
            except Exception as e:  # keep going; report the failure in the table
                res["error"] = f"{type(e).__name__}: {e}"
        if "error" in res:
            log(f"{label}: {method} FAILED: {res['error']}\n{m['stderr_tail']}")
        else:
            log(f"{label}: {method} done in {m['wall_s']:.2f} s, peak {fmt(m['peak_rss_mb'], '.0f')} MB"
                + (f", SSE {res['sse_m2']:.4g} m^2" if "sse_m2" in res else ""))
        ds["methods"][method] = res
    return ds


def fmt(x, spec=".3f", none="—"):
    if x is None:
        return none
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return none
    return format(x, spec)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def render_markdown(report: dict) -> str:
    mi = report["machine"]
    p = report["params"]
    lines = ["# siting vs peers: size-constrained catchments", ""]
    lines.append(f"Generated {mi['date_utc']} by `benches/peers/compare.py`.")
    lines.append("")
    lines.append(f"- Machine: nproc={mi['nproc']} ({mi.get('cpu_model', '?')}), "
                 f"{mi.get('mem_total_gb', '?')} GB RAM, {mi['platform']}")
    pk = mi["packages"]
    lines.append(f"- Python {mi['python']}; numpy {pk['numpy']}, scipy {pk['scipy']}, "
                 f"scikit-learn {pk['scikit-learn']}, k-means-constrained {pk['k-means-constrained']}, "
                 f"ortools {pk['ortools']}")
    lines.append(f"- siting: `{p['siting']}` version {mi.get('siting_version') or '?'}"
                 + (f", git {mi['git_commit']}{' (dirty)' if mi.get('git_dirty') else ''}"
                    if mi.get("git_commit") else ""))
    if mi.get("env"):
        lines.append(f"- Thread env: {mi['env']}")
    lines.append(f"- Parameters: target={p['target']}, tolerance={p['tolerance']}, seed={p['seed']}, "
                 f"kmc-max-n={p['kmc_max_n']}; peak RSS via {mi['rss_source']}")
    kmc_params = next((d["methods"]["kmc"].get("params") for d in report["datasets"]
                       if "kmc" in d["methods"] and d["methods"]["kmc"].get("params")), None)
    if kmc_params:
        keep = ["n_init", "max_iter", "tol", "init", "n_jobs"]
        lines.append("- KMeansConstrained params: "
                     + ", ".join(f"{kk}={kmc_params.get(kk)!r}" for kk in keep))
    sk_params = next((d["methods"]["sklearn"].get("params") for d in report["datasets"]
                      if "sklearn" in d["methods"] and d["methods"]["sklearn"].get("params")), None)
    if sk_params:
        keep = ["n_init", "max_iter", "tol", "init", "algorithm"]
        lines.append("- sklearn KMeans params: "
                     + ", ".join(f"{kk}={sk_params.get(kk)!r}" for kk in keep))
    lines.append("")
    hdr = ["method", "N", "k", "time s", "fit s", "peak RSS MB", "SSE / kmc", "SSE / sklearn",
           "mean dist m", "mean dist / kmc", "median dist / kmc", "time kmc/siting",
           "sizes min–max", "in [L,U]"]
    lines.append("| " + " | ".join(hdr) + " |")
    lines.append("|" + "|".join(["---"] * len(hdr)) + "|")
    for d in report["datasets"]:
        ms = d["methods"]
        kmc = ms.get("kmc", {})
        sk = ms.get("sklearn", {})
        kmc_ok = "error" not in kmc and "sse_m2" in kmc
        sk_ok = "error" not in sk and "sse_m2" in sk
        for name in ["siting", "kmc", "sklearn"]:
            r = ms.get(name)
            if r is None:
                continue
            disp = {"kmc": "k-means-constrained", "sklearn": "sklearn KMeans"}.get(name, name)
            if "error" in r:
                lines.append(f"| {disp} | {d['W']} | {d['k']} | {fmt(r.get('wall_s'), '.2f')} | — | "
                             f"{fmt(r.get('peak_rss_mb'), '.0f')} | FAILED: {r['error']} | | | | | | | |")
                continue
            t_ratio = None
            if name == "siting" and kmc_ok:
                t_ratio = ratio(kmc.get("fit_s"), r["wall_s"])
            row = [
                disp, str(d["W"]), str(d["k"]),
                fmt(r["wall_s"], ".2f"),
                fmt(r.get("fit_s"), ".2f"),
                fmt(r["peak_rss_mb"], ".0f"),
                fmt(ratio(r["sse_m2"], kmc["sse_m2"]) if kmc_ok else None, ".4f"),
                fmt(ratio(r["sse_m2"], sk["sse_m2"]) if sk_ok else None, ".4f"),
                fmt(r["mean_dist_m"], ".1f"),
                fmt(ratio(r["mean_dist_m"], kmc["mean_dist_m"]) if kmc_ok else None, ".4f"),
                fmt(ratio(r.get("median_dist_m"), kmc.get("median_dist_m")) if kmc_ok else None,
                    ".4f"),
                fmt(t_ratio, ".1f"),
                f"{r['min_size']}–{r['max_size']}" + ("" if r["n_clusters"] == d["k"]
                                                      else f" ({r['n_clusters']} clusters)"),
                "yes" if r["sizes_in_bounds"] else "no",
            ]
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("Bounds per dataset (W rows, k = max(1, round(W/T)), L = floor((1-TOL)W/k), "
                 "U = ceil((1+TOL)W/k)):")
    lines.append("")
    for d in report["datasets"]:
        extra = ""
        for name in ["kmc", "sklearn"]:
            r = d["methods"].get(name, {})
            if "rss_before_fit_mb" in r:
                extra += (f"; {name} before fit (start-up, imports, points): "
                          f"{r['startup_s']:.2f} s, {r['rss_before_fit_mb']:.0f} MB")
        lines.append(f"- {d['label']}: W={d['W']}, k={d['k']}, L={d['L']}, U={d['U']}, "
                     f"bbox diagonal {d['bbox_diagonal_m'] / 1000:.1f} km, kmc input unit "
                     f"{d['kmc_input_unit']}{extra}")
    skipped = report.get("skipped", [])
    if skipped:
        lines.append("")
        for s in skipped:
            lines.append(f"- skipped: {s}")
    lines.append("")
    lines.append("Notes: `time s` is wall clock of the whole process (siting: CSV read, plan, "
                 "writing outputs; peers: Python start, imports, loading the pre-projected points, "
                 "fit). `fit s` is the peer's fit() alone. `time kmc/siting` = kmc fit s / siting "
                 "time s, which favours kmc. SSE and mean distance are to centroids recomputed "
                 "(`median dist`: to each cluster's geometric median, the ideal center a "
                 "household would travel to, computed the same way for every method) "
                 "from each partition in one shared azimuthal equidistant plane centred on the "
                 "mean lon/lat (sphere R = 6371008.8 m); sklearn KMeans ignores size bounds and "
                 "is a lower reference for SSE, not a competitor.")
    lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_worker":
        return worker_main(argv[1:])

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--siting", required=True, help="path to the siting binary")
    ap.add_argument("--sizes", default="5000,20000,50000",
                    help="comma-separated household counts to generate (ignored with --households)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--target", type=float, default=450.0)
    ap.add_argument("--tolerance", type=float, default=0.1)
    ap.add_argument("--kmc-max-n", type=int, default=50000,
                    help="run k-means-constrained only when N <= this")
    ap.add_argument("--sklearn-extra", type=int, default=None,
                    help="also generate this size and run siting + sklearn only")
    ap.add_argument("--out", default="benches/peers/results.md")
    ap.add_argument("--households", default=None, help="use this CSV instead of generating")
    ap.add_argument("--workdir", default="/tmp/siting-peers-work",
                    help="where generated data, plans and logs go")
    ap.add_argument("--method-timeout", type=float, default=0,
                    help="kill a method after this many seconds (0 = no limit)")
    args = ap.parse_args(argv)

    siting = shutil.which(args.siting) if os.sep not in args.siting else args.siting
    if not siting or not os.access(siting, os.X_OK):
        raise SystemExit(f"siting binary not found or not executable: {args.siting}")
    args.siting = os.path.abspath(siting)
    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    out_md = Path(args.out)
    out_md.parent.mkdir(parents=True, exist_ok=True)

    jobs = []  # (csv_path, label, methods)
    skipped = []

    def gen(n: int) -> Path:
        path = workdir / f"households_{n}.csv"
        log(f"generating {n} households -> {path}")
        r = subprocess.run([args.siting, "generate", "--n", str(n), "--seed", str(args.seed),
                            "--out", str(path)], capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"siting generate failed ({r.returncode}):\n{r.stderr}")
        return path

    if args.households:
        path = Path(args.households).resolve()
        w = sum(1 for _ in open(path)) - 1
        methods = ["siting", "sklearn"]
        if w <= args.kmc_max_n:
            methods.insert(1, "kmc")
        else:
            skipped.append(f"k-means-constrained at N={w} (> --kmc-max-n {args.kmc_max_n})")
        jobs.append((path, f"file_{w}", methods))
    else:
        for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
            methods = ["siting", "sklearn"]
            if n <= args.kmc_max_n:
                methods.insert(1, "kmc")
            else:
                skipped.append(f"k-means-constrained at N={n} (> --kmc-max-n {args.kmc_max_n})")
            jobs.append((gen(n), str(n), methods))
    if args.sklearn_extra:
        jobs.append((gen(args.sklearn_extra), f"{args.sklearn_extra}_extra",
                     ["siting", "sklearn"]))
        skipped.append(f"k-means-constrained at N={args.sklearn_extra} (--sklearn-extra: siting + sklearn only)")

    report = {
        "machine": machine_info(args.siting),
        "params": {"siting": args.siting, "target": args.target, "tolerance": args.tolerance,
                   "seed": args.seed, "kmc_max_n": args.kmc_max_n,
                   "sklearn_extra": args.sklearn_extra, "households": args.households,
                   "method_timeout_s": args.method_timeout},
        "datasets": [],
        "skipped": skipped,
    }
    out_json = out_md.with_suffix(".json")
    for path, label, methods in jobs:
        report["datasets"].append(run_dataset(args, path, label, methods, workdir))
        # write partial results after each dataset so a long run is never lost
        out_json.write_text(json.dumps(report, indent=2))
        out_md.write_text(render_markdown(report))

    md = render_markdown(report)
    out_md.write_text(md)
    out_json.write_text(json.dumps(report, indent=2))
    print(md)
    log(f"wrote {out_md} and {out_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
