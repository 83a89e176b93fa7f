# The server and Graph emulator images, built here without an image registry (sourced, not run; needs engine.sh's
# engine and base-image.sh): `dotnet publish` on the host, then the shipped Dockerfiles with APP_FROM=prebuilt on the
# local runtime base, so user, entrypoint, ports, health check and environment are the shipped images' own.
#   images_build      builds raorchestrator-server:local and raorchestrator-emulator:local; prints the times and sizes
#                     (with RAORCH_REUSE_IMAGES=1 it keeps both when the engine holds them: scripts/test.sh sets it for
#                     the compose test, which runs after the cluster test has built them from the same tree)

images_build() {
  local base started project name
  started=$SECONDS
  base=$(base_image) || return 1
  echo "   runtime base ready in $((SECONDS - started)) s: $base"
  if [ "${RAORCH_REUSE_IMAGES:-}" = 1 ] \
    && "$docker" image inspect raorchestrator-server:local raorchestrator-emulator:local > /dev/null 2>&1; then
    echo "   raorchestrator-server:local and raorchestrator-emulator:local: kept (RAORCH_REUSE_IMAGES=1)"
    return 0
  fi
  for name in server emulator; do
    case "$name" in
      server) project=src/RAOrchestrator.Server/RAOrchestrator.Server.csproj ;;
      emulator) project=src/RAOrchestrator.GraphEmulator/RAOrchestrator.GraphEmulator.csproj ;;
    esac
    started=$SECONDS
    rm -rf "$engine_dir/publish/$name"
    # Built as the solution is (a no-op after scripts/test.sh's build), then published from that build, as the
    # Dockerfile's build stage publishes (framework-dependent, no app host).
    { dotnet build "$project" --configuration Release --nologo -v quiet \
      && dotnet publish "$project" --configuration Release --no-build --output "$engine_dir/publish/$name" --nologo \
        -v quiet -p:UseAppHost=false; } > "$engine_dir/publish-$name.log" 2>&1 \
      || { cat "$engine_dir/publish-$name.log" >&2; return 1; }
    local published=$((SECONDS - started))
    started=$SECONDS
    # --network host: the emulator's RUN step needs a network, and this engine has no bridge.
    "$docker" build --quiet --network host -f "deploy/$name.Dockerfile" --build-arg APP_FROM=prebuilt \
      --build-arg RUNTIME_IMAGE="$base" -t "raorchestrator-$name:local" "$engine_dir/publish/$name" >/dev/null || return 1
    echo "   raorchestrator-$name:local: published in $published s, image built in $((SECONDS - started)) s," \
      "$("$docker" image inspect -f '{{.Size}}' "raorchestrator-$name:local" | awk '{printf "%d MB", $1 / 1000000}')"
  done
  # The images of earlier runs (each publish differs) and their build cache: the engine's data root stays small.
  "$docker" image prune -f > /dev/null
  "$docker" builder prune -f > /dev/null
}
