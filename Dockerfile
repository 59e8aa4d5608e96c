# The self-healing action's image.
#
# The runner starts it with `--workdir /github/workspace` and the workspace mounted
# there, as root; so the final stage sets no WORKDIR and no USER, and everything the
# action needs lives under /opt.
#
# Python is called as `python3` (never by path) so that the build also works on a
# Debian-packaged Python in /usr/bin, not only on the official image's /usr/local/bin.

# The base is pinned by version, not by digest: the test suite builds this very file
# on machines without a registry, from a local image tagged with this name, which a
# digest could never match. Dependabot (docker) proposes new versions.

# ---- build: compile the C helper, install the pinned dependencies into a venv ----
FROM python:3.13.5-slim-bookworm AS build

# gcc and libc headers only here, for healer's optional block-preparation helper.
# Build-only packages from the base release's archive; exact versions would stop
# resolving at the next Debian point release, and none of them reaches the final image.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore

# The build backend, pinned with hashes, in a venv of its own that is thrown away.
COPY requirements-build.lock /src/
RUN python3 -m venv /opt/build-venv \
    && /opt/build-venv/bin/pip install --require-hashes -r /src/requirements-build.lock

# Runtime dependencies: every package pinned with its hash (requirements.lock), put
# into a venv without pip or setuptools by the build venv's pip.
COPY requirements.lock /src/
RUN python3 -m venv --without-pip /opt/venv \
    && /opt/build-venv/bin/pip --python /opt/venv/bin/python install \
        --require-hashes --only-binary=:all: -r /src/requirements.lock

COPY pyproject.toml setup.py README.md /src/
COPY healer /src/healer
# Build and install healer; fail if the C helper did not compile (the image must
# have the fast path); then byte-code for everything, checked by hash rather than
# mtime, so that the copy into the final stage keeps it valid and start-up never
# compiles.
RUN /opt/build-venv/bin/pip wheel --no-deps --no-build-isolation --wheel-dir /src/dist /src \
    && /opt/build-venv/bin/pip --python /opt/venv/bin/python install --no-deps /src/dist/*.whl \
    && /opt/venv/bin/python -c "import healer.classifier._fastprep" \
    && /opt/venv/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash /opt/venv

COPY entrypoint.py /opt/self-healing/entrypoint.py

# Validate the shipped rules and compile the pattern database once, at build time.
ENV HEALER_CACHE_DIR=/opt/self-healing/cache
COPY examples/logs/github-pytest-failure.log /tmp/warm.log
RUN /opt/venv/bin/healer classify /tmp/warm.log > /dev/null

# ---- final: the interpreter, the venv and the warm cache; no compiler ----
FROM python:3.13.5-slim-bookworm

COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/self-healing /opt/self-healing

ENV PATH=/opt/venv/bin:$PATH \
    HEALER_CACHE_DIR=/opt/self-healing/cache \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

ENTRYPOINT ["/opt/venv/bin/python", "/opt/self-healing/entrypoint.py"]
