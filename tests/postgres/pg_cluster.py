"""PostgreSQL 15 servers with the doudi extension, for tests/postgres and
bench/postgres_bench.py: installs PostgreSQL when missing (./setup.sh
--optional postgres), builds the extension with PGXS against the project's
libdoudi, lays out a private copy of PostgreSQL's installation with the
extension in it (the system's folders are not touched: PostgreSQL finds its
share and lib folders relative to its own binary, so copies of the binaries
sit beside folders of links to the system's files), and starts servers on
Unix sockets in a temporary folder (as the `postgres` user when run as root).
"""
import os
import pwd
import shutil
import subprocess
import tempfile

PG = "/usr/lib/postgresql/15"


class Cluster:
    def __init__(self, build, source):
        subprocess.run([os.path.join(source, "setup.sh"), "--optional", "postgres"], check=True)
        self.as_root = os.geteuid() == 0
        self.user = pwd.getpwnam("postgres") if self.as_root else None
        self.work = tempfile.mkdtemp(prefix="doudi-pg-")
        os.chmod(self.work, 0o755)
        self.started = []
        ext_build = os.path.join(build, "tools", "postgres")
        os.makedirs(ext_build, exist_ok=True)
        subprocess.run(["make", "-s", "-f", os.path.join(source, "tools/postgres/Makefile"),
                        "PG_CONFIG=" + PG + "/bin/pg_config", "DOUDI_INCLUDE=" + os.path.join(source, "include"),
                        "DOUDI_LIBDIR=" + os.path.join(build, "runtime"), "DOUDI_RPATH=\\$$ORIGIN"],
                       cwd=ext_build, check=True)
        prefix = os.path.join(self.work, "pg")
        self.bindir, libdir = prefix + "/lib/postgresql/15/bin", prefix + "/lib/postgresql/15/lib"
        sharedir = prefix + "/share/postgresql/15"
        for d in (self.bindir, libdir, sharedir + "/extension", libdir + "/doudi"):
            os.makedirs(d)
        for b in ("postgres", "initdb", "pg_ctl"):
            shutil.copy2(PG + "/bin/" + b, self.bindir)
        for name in os.listdir(PG + "/lib"):
            os.symlink(PG + "/lib/" + name, os.path.join(libdir, name))
        for name in os.listdir("/usr/share/postgresql/15"):
            if name != "extension":
                os.symlink("/usr/share/postgresql/15/" + name, os.path.join(sharedir, name))
        for name in os.listdir("/usr/share/postgresql/15/extension"):
            os.symlink("/usr/share/postgresql/15/extension/" + name, os.path.join(sharedir, "extension", name))
        shutil.copy2(os.path.join(ext_build, "doudi.so"), libdir)
        shutil.copy2(os.path.join(build, "runtime", "libdoudi.so.0"), libdir)
        jit = os.path.join(build, "runtime", "jit", "libdoudi_jit.so")
        if os.path.exists(jit):
            shutil.copy2(jit, libdir + "/doudi")
        for f in ("doudi.control", "doudi--0.1.sql"):
            shutil.copy2(os.path.join(source, "tools/postgres", f), sharedir + "/extension")
        cache = os.path.join(self.work, "cache")
        os.makedirs(cache)
        self.give_to_server(self.work, cache)
        self.env = dict(os.environ, XDG_CACHE_HOME=cache, LC_ALL="C.UTF-8")
        self.env.pop("DOUDI_JIT_LIBRARY", None)

    def give_to_server(self, *paths):
        """Makes files and folders the server's own (it runs as `postgres` under root)."""
        if self.as_root:
            for p in paths:
                os.chown(p, self.user.pw_uid, self.user.pw_gid)

    def as_server_user(self, argv):
        return ["runuser", "-u", "postgres", "--"] + argv if self.as_root else argv

    def start(self, name, settings=""):
        """initdb and pg_ctl start; returns the folder of the server's socket."""
        data, sock = os.path.join(self.work, name), os.path.join(self.work, name + "-socket")
        os.makedirs(sock)
        self.give_to_server(sock)
        subprocess.run(self.as_server_user([self.bindir + "/initdb", "-D", data, "-U", "doudi", "--auth=trust",
                                            "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, env=self.env, stdout=subprocess.DEVNULL)
        options = f"-k {sock} -c listen_addresses='' -c max_worker_processes=8 -c max_parallel_workers=4 {settings}"
        subprocess.run(self.as_server_user([self.bindir + "/pg_ctl", "-D", data, "-o", options, "-l", data + ".log",
                                            "-w", "start"]), check=True, env=self.env, stdout=subprocess.DEVNULL)
        self.started.append(data)
        return sock

    def psql(self, server, statement):
        """psql's result: tuples only, unaligned."""
        return subprocess.run(["psql", "-X", "-q", "-At", "-h", server, "-U", "doudi", "-d", "postgres", "-v",
                               "ON_ERROR_STOP=1", "-c", statement], capture_output=True, text=True, env=self.env)

    def stop(self, show_logs=False):
        for data in self.started:
            subprocess.run(self.as_server_user([self.bindir + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]),
                           env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if show_logs:
                print(f"---- {data}.log\n" + open(data + ".log", encoding="utf-8", errors="replace").read()[-3000:])
        shutil.rmtree(self.work, ignore_errors=True)
