# The RAOrchestrator server (Orleans silo + gRPC API in one process). Needs BuildKit (the default since Docker 23;
# DOCKER_BUILDKIT=1 before).
#   docker build -f deploy/server.Dockerfile -t raorchestrator-server:dev .      (context: the repository root)
# Without registry access (no SDK image; a local runtime base, see docs/operations/containers.md), from a
# `dotnet publish` output made on the host, which is then the build context:
#   docker build -f deploy/server.Dockerfile --build-arg APP_FROM=prebuilt --build-arg RUNTIME_IMAGE=<base> \
#     -t raorchestrator-server:dev <publish output folder>
#
# Ports (all plaintext inside the cluster network; put TLS in front or set Api__Url=https://... with a certificate):
#   5080   gRPC API, HTTP/2 only (raorchestrator.v1, grpc.health.v1, reflection)
#   5081   management, HTTP/1.1: /health/live (never touches storage) and /health/ready (storage + silo)
#   5082   web pages for people, HTTP/1.1 (the tenant approval page); set Web__PublicUrl to its https address
#   11111  Orleans silo-to-silo
#   (30000 Orleans gateway: closed unless Cluster__GatewayEnabled=true, since any Orleans client reaching it could call
#    grains past the API's authorization; not exposed here)
# Every other setting comes from the environment (Section__Key), see the README's Configuration and Operate sections.

# The SDK must satisfy global.json (10.0.401 or a later feature band).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-alpine
# Where /app comes from: build (the SDK stage below) or prebuilt (the build context is a publish output).
ARG APP_FROM=build

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY protos/ protos/
COPY src/ src/
RUN --mount=type=cache,id=raorchestrator-nuget,target=/root/.nuget/packages \
    dotnet publish src/RAOrchestrator.Server/RAOrchestrator.Server.csproj \
      --configuration Release --output /app --nologo -p:UseAppHost=false

FROM scratch AS prebuilt
COPY . /app/

FROM ${APP_FROM} AS app

# Alpine: small, and its busybox wget lets the image check its own health without shipping curl.
FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=app --chown=root:root /app ./
ENV Api__Url=http://0.0.0.0:5080 \
    Api__ManagementUrl=http://0.0.0.0:5081 \
    Web__Url=http://0.0.0.0:5082 \
    Cluster__SiloPort=11111 \
    Cluster__ListenOnAnyHostAddress=true \
    DOTNET_NOLOGO=1
EXPOSE 5080 5081 5082 11111
# The non-root user the .NET images ship (UID 1654); the app files stay owned by root, read-only to it.
USER $APP_UID
# Healthy only while the silo is active in the cluster and storage answers (/health/ready, the chart's readiness
# probe; /health/live also answers while the silo is still joining or already leaving), on the management port that
# Api__ManagementUrl sets.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD port="${Api__ManagementUrl##*:}"; wget -q -O /dev/null "http://127.0.0.1:${port%%/*}/health/ready" || exit 1
# Stop with SIGTERM: the silo leaves the cluster within Cluster__ShutdownTimeout (30 s by default).
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "RAOrchestrator.Server.dll"]
