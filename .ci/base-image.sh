#!/usr/bin/env bash
# Build the local base image asyncrpc/jre-base:17 without any registry:
# a jlink'ed Java 17 runtime from the host JDK + the shared libraries it needs,
# packed as a root filesystem and loaded with `docker import`.
# Skipped when the image already exists (REBUILD=1 forces a rebuild).
set -euo pipefail

IMAGE=asyncrpc/jre-base:17
JDK=${BASE_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA_DIR=/opt/java   # where the runtime lives inside the image

if [[ "${REBUILD:-0}" != 1 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base-image.sh: $IMAGE already present"; exit 0
fi
[[ -x "$JDK/bin/jlink" ]] || { echo "base-image.sh: no jlink in $JDK" >&2; exit 1; }

ROOT=$(mktemp -d /tmp/asyncrpc-rootfs.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT
start=$SECONDS

# 1. Debian-like merged-/usr skeleton.
mkdir -p "$ROOT"/{usr/bin,usr/lib,usr/lib64,usr/sbin,etc,opt,app,proc,sys,dev,tmp}
for d in bin lib lib64 sbin; do ln -s "usr/$d" "$ROOT/$d"; done
chmod 1777 "$ROOT/tmp"

# 2. Java runtime: server-side modules only, with a CDS archive for fast start.
MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.charsets
MODULES+=,jdk.localedata,jdk.naming.dns,jdk.httpserver,jdk.net,jdk.sctp,jdk.management
MODULES+=,jdk.management.agent,jdk.management.jfr,jdk.jfr,jdk.jdwp.agent,jdk.security.auth
MODULES+=,jdk.security.jgss,jdk.attach,jdk.jcmd,jdk.random,jdk.nio.mapmode,jdk.xml.dom
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$ROOT$JAVA_DIR" >/dev/null
# Headless only: drop the X11/sound/splash libraries (they would drag in X11 libs).
rm -f "$ROOT$JAVA_DIR"/lib/{libawt_xawt,libsplashscreen,libjsound}.so
# Prefer the host's CA bundle (Debian keeps it in sync with ca-certificates).
[[ -f /etc/ssl/certs/java/cacerts ]] && cp -L /etc/ssl/certs/java/cacerts "$ROOT$JAVA_DIR/lib/security/cacerts"
echo "base-image.sh: jlink done after $((SECONDS - start))s"

# 3. A few tools (sh for HEALTHCHECK / execInContainer) and every shared library
#    that they and the runtime link against, copied to their canonical paths.
for t in sh cat ls sleep env id; do cp -L "$(command -v $t)" "$ROOT/usr/bin/$t"; done
copy_lib() {  # $1 = absolute path as ldd prints it
  local dir; dir=$(readlink -f "$(dirname "$1")")
  [[ -e "$ROOT$dir/$(basename "$1")" ]] && return 0
  mkdir -p "$ROOT$dir" && cp -L "$1" "$ROOT$dir/"
}
libs=$(for f in "$ROOT"/usr/bin/* "$ROOT$JAVA_DIR"/bin/* "$ROOT$JAVA_DIR"/lib/jspawnhelper \
                $(find "$ROOT$JAVA_DIR/lib" -name '*.so'); do
         ldd "$f" 2>/dev/null || true
       done | grep -oE '(^[[:space:]]*|=> )/[^ ]+' | sed -E 's/^(=> |[[:space:]]+)//' | grep -v "^$ROOT" | sort -u)
for l in $libs; do copy_lib "$l"; done

# 4. Users, name resolution, locale.
cat >"$ROOT/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
app:x:1000:1000:app:/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
P
printf 'root:x:0:\napp:x:1000:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
# glibc's C.UTF-8 locale, so LANG=C.UTF-8 gives Java a UTF-8 default charset.
[[ -d /usr/lib/locale/C.utf8 ]] && mkdir -p "$ROOT/usr/lib/locale" && cp -a /usr/lib/locale/C.utf8 "$ROOT/usr/lib/locale/"
chown 1000:1000 "$ROOT/app"

# 5. Import. The default user is the unprivileged app (uid 1000).
tar -C "$ROOT" --numeric-owner -cf - . | docker import \
  --change "ENV PATH=$JAVA_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV JAVA_HOME=$JAVA_DIR" \
  --change "ENV LANG=C.UTF-8" \
  --change "WORKDIR /app" \
  --change "USER 1000:1000" \
  --change 'CMD ["java", "-version"]' \
  --message "asyncrpc jre-base (jlink of $("$JDK/bin/java" -version 2>&1 | head -1 | tr -d '"'))" \
  - "$IMAGE" >/dev/null
echo "base-image.sh: built $IMAGE in $((SECONDS - start))s," \
     "size $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
