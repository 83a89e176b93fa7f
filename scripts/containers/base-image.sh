# The runtime base image, made here without any image registry (sourced, not run; needs engine.sh's engine):
#   1. a minimal Debian bookworm root file system from the Debian mirror (mmdebstrap, variant minbase) with what .NET
#      needs (libicu, libssl, ca-certificates, tzdata) and wget for the images' health checks, and the non-root user
#      the .NET images have (app, UID/GID 1654, in $APP_UID); kept in .data/containers/ and imported once per machine;
#   2. on top, the host's ASP.NET Core runtime (the one `dotnet publish` ran with) in /usr/share/dotnet with
#      /usr/bin/dotnet, the layout of mcr.microsoft.com/dotnet/aspnet, so the shipped Dockerfiles' runtime stage runs
#      on it unchanged.
#   base_image        prints the runtime base's tag, making what is missing

base_recipe=bookworm-minbase-v1
base_packages=ca-certificates,libicu72,libssl3,tzdata,wget

base_rootfs() { # the Debian root file system as a tar, made once per machine
  local tar="$engine_dir/base-$base_recipe.tar"
  [ -s "$tar" ] && { echo "$tar"; return 0; }
  local started=$SECONDS
  echo "== base: mmdebstrap $base_recipe ($base_packages)" >&2
  mmdebstrap --variant=minbase --format=tar --include="$base_packages" --components=main \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook='chroot "$1" groupadd --gid 1654 app' \
    --customize-hook='chroot "$1" useradd --uid 1654 --gid 1654 --no-create-home --home-dir /app --shell /usr/sbin/nologin app' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
    bookworm "$tar.partial" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" > "$engine_dir/mmdebstrap.log" 2>&1 \
    || { tail -20 "$engine_dir/mmdebstrap.log" >&2; rm -f "$tar.partial"; return 1; }
  mv "$tar.partial" "$tar"
  echo "   made in $((SECONDS - started)) s: $tar ($(du -m "$tar" | cut -f1) MB)" >&2
  echo "$tar"
}

base_image() {
  local dotnet_root version debian image
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  version=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
  debian="raorchestrator-local/debian:$base_recipe"
  image="raorchestrator-local/aspnet:$version-$base_recipe"
  if "$docker" image inspect "$image" >/dev/null 2>&1; then echo "$image"; return 0; fi

  if ! "$docker" image inspect "$debian" >/dev/null 2>&1; then
    local tar started
    tar=$(base_rootfs) || return 1
    started=$SECONDS
    "$docker" import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV APP_UID=1654' --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' --change 'CMD ["/bin/bash"]' \
      "$tar" "$debian" >/dev/null
    echo "== base: imported $debian in $((SECONDS - started)) s" >&2
  fi

  local context started=$SECONDS
  context=$(mktemp -d)
  mkdir -p "$context/usr/bin"
  ln -s ../share/dotnet/dotnet "$context/usr/bin/dotnet"
  tar -C / -cf - "${dotnet_root#/}/dotnet" "${dotnet_root#/}/host" "${dotnet_root#/}/LICENSE.txt" \
    "${dotnet_root#/}/ThirdPartyNotices.txt" "${dotnet_root#/}/shared/Microsoft.NETCore.App/$version" \
    "${dotnet_root#/}/shared/Microsoft.AspNetCore.App/$version" | tar -C "$context" -xf -
  [ "$dotnet_root" = /usr/share/dotnet ] || { mkdir -p "$context/usr/share"; mv "$context/${dotnet_root#/}" "$context/usr/share/dotnet"; }
  printf 'FROM %s\nCOPY usr/ /usr/\nENV DOTNET_VERSION=%s ASPNET_VERSION=%s\n' "$debian" "$version" "$version" > "$context/Dockerfile"
  "$docker" build -q -t "$image" "$context" >/dev/null || { rm -rf "$context"; return 1; }
  rm -rf "$context"
  echo "== base: $image (the host's ASP.NET Core $version on $debian) in $((SECONDS - started)) s" >&2
  echo "$image"
}
