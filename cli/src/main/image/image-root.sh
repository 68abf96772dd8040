#!/usr/bin/env bash
# The Outpost image's base, made from this machine instead of pulled from a registry: a Java runtime
# cut by jlink to the modules Outpost uses, the shared libraries it links (glibc, zlib) and the
# terraform CLI. Jib puts it under the application layers (from: scratch), so building the image needs
# no registry and no Docker daemon. Usage: image-root.sh ROOT APP_JAR [TERRAFORM]
set -euo pipefail
root=$1 jar=$2 terraform=${3:-}
rm -rf "$root"
mkdir -p "$root/opt" "$root/tmp" "$root/data" "$root/etc"
chmod 1777 "$root/tmp"

# jdeps finds what the classes call; the JCE providers and the charsets are loaded by name, so named here
modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 --recursive \
    --class-path "$(dirname "$jar")/lib/*" "$jar")
jlink --add-modules "$modules,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.charsets,jdk.zipfs,jdk.localedata" \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/java"

# every shared library the runtime's programs and libraries need, at the path the loader looks for it;
# not those of the desktop toolkit, which a headless server never loads (X11, fonts, images, sound)
find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
    -not -name 'libawt_xawt.so' -not -name 'libjawt.so' -not -name 'libsplashscreen.so' -not -name 'libfontmanager.so' \
    -not -name 'libjsound.so' -not -name 'liblcms.so' -not -name 'libjavajpeg.so' -not -name 'libmlib_image.so' -print0 \
  | xargs -0 ldd 2>/dev/null | grep -o '/[^ ]*' | grep -v "^$root" | sort -u \
  | while read -r lib; do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
# /lib64 is a link to /usr/lib64 on merged-/usr systems; the loader is asked for by its /lib64 name
if [ -e /lib64/ld-linux-x86-64.so.2 ] && [ ! -e "$root/lib64/ld-linux-x86-64.so.2" ]; then
  mkdir -p "$root/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi

echo "root:x:0:0:root:/data:/bin/false" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
if [ -n "$terraform" ] && [ -x "$terraform" ]; then
  mkdir -p "$root/usr/local/bin" && cp -L "$terraform" "$root/usr/local/bin/terraform"
else
  echo "image-root: no terraform CLI given (-Dimage.terraform=PATH): the image's worker role will not run" >&2
fi
echo "image-root: $(du -sh "$root" | cut -f1) in $root (modules $modules)"
