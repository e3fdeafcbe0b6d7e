"""The scale-out tooling: the HAProxy configuration is valid and sticky, the test command's
PostgreSQL helper says in French what is missing instead of letting tests skip."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.store import support

cluster, local_postgres = support.cluster, support.local_postgres  # deploy/


def test_haproxy_config_is_valid_sticky_and_passes_websockets(tmp_path):
    cfg = cluster.haproxy_config("127.0.0.1:18501", [18601, 18602, 18603])
    assert "${" not in cfg
    assert "cookie PACTE_APP insert indirect nocache" in cfg  # a browser stays on its process
    assert "timeout tunnel 8h" in cfg  # an open websocket is not cut mid-meeting
    assert "option httpchk GET /_stcore/health" in cfg
    for i, port in enumerate((18601, 18602, 18603), start=1):
        assert f"server app{i} 127.0.0.1:{port} check cookie app{i}" in cfg
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.fail("HAProxy absent : lancez bash scripts/setup_env.sh --dev (apt-get install haproxy).")
    path = tmp_path / "haproxy.cfg"
    path.write_text(cfg)
    check = subprocess.run([haproxy, "-c", "-f", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_cluster_needs_one_process_at_least():
    with pytest.raises(cluster.ClusterError, match="au moins un processus"):
        cluster.Cluster(apps=0)


def test_missing_postgresql_is_a_french_failure_not_a_skip(monkeypatch, tmp_path):
    monkeypatch.setattr(local_postgres.shutil, "which", lambda name: None)
    monkeypatch.setattr(local_postgres.glob, "glob", lambda pattern: [])
    with pytest.raises(local_postgres.PostgresError, match="PostgreSQL introuvable.*apt-get install postgresql"):
        local_postgres.start(tmp_path / "pg")
    monkeypatch.delenv(support.PG_ENV, raising=False)
    with pytest.raises(pytest.fail.Exception, match="Tests PostgreSQL impossibles : PostgreSQL introuvable"):
        with support.pg_cluster():
            pass


def test_local_postgres_refuses_a_folder_its_user_cannot_enter(tmp_path, monkeypatch):
    """As root the server runs as another user, who must be able to reach its folder."""
    monkeypatch.setattr(local_postgres, "_run_as", lambda: {"user": 65534, "group": 65534, "extra_groups": []})
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    with pytest.raises(local_postgres.PostgresError, match="ne peut pas entrer dans"):
        local_postgres.start(private / "pg")
