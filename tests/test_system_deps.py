""".ci/system-deps.sh on a machine with many shared libraries: `ldconfig -p | grep -q` under `set -o pipefail`.

grep -q stops at the first match; when `ldconfig -p` prints more than a pipe holds (64 KiB, about 850 libraries, a
common desktop) and libpango is not near its end, ldconfig dies of SIGPIPE, pipefail makes the pipeline fail, and the
script reports Pango missing although it is installed: `make test` stops for a normal user (and re-runs apt-get for
root on every run). The machine here has 616 libraries (47 KB), so the bug does not show on it.

Nothing is installed: apt-get, msgfmt and ldconfig are stand-ins on a PATH of their own.
"""

import os
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "system-deps.sh"

FAKE_LDCONFIG = r"""#!{bash}
echo "5001 libs found in cache \`/etc/ld.so.cache'"
for ((i=1; i<=800; i++)); do echo "	libfoo$i.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libfoo$i.so.0"; done
echo "	libpango-1.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpango-1.0.so.0"
for ((i=1; i<=4200; i++)); do echo "	libbar$i.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libbar$i.so.0"; done
"""


def _shim(folder, name, body):
    path = folder / name
    path.write_text(body)
    path.chmod(0o755)


def test_system_deps_finds_pango_among_many_libraries(tmp_path):
    bash = shutil.which("bash")
    for tool in ("bash", "grep", "id", "uname", "cat"):
        (tmp_path / tool).symlink_to(shutil.which(tool))
    _shim(tmp_path, "ldconfig", FAKE_LDCONFIG.format(bash=bash))
    _shim(tmp_path, "msgfmt", f"#!{bash}\nexit 0\n")  # gettext present
    log = tmp_path / "apt.log"
    _shim(tmp_path, "apt-get", f'#!{bash}\necho "apt-get $*" >> {log}\n')  # records, installs nothing
    env = {"PATH": str(tmp_path), "E2E_CHROMIUM": "/bin/true", "HOME": os.environ.get("HOME", "/tmp")}

    result = subprocess.run(
        [bash, str(SCRIPT), "test"], env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert (result.returncode, result.stderr, log.exists()) == (0, "", False)
