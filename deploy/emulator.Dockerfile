# The Entra ID + Microsoft Graph emulator with the demo tenants, for the local stack (never for production). Needs
# BuildKit (the default since Docker 23; DOCKER_BUILDKIT=1 before).
#   docker build -f deploy/emulator.Dockerfile -t raorchestrator-emulator:dev .   (context: the repository root)
# Without registry access, from a `dotnet publish` output made on the host (see deploy/server.Dockerfile):
#   docker build -f deploy/emulator.Dockerfile --build-arg APP_FROM=prebuilt --build-arg RUNTIME_IMAGE=<base> \
#     -t raorchestrator-emulator:dev <publish output folder>
#
# Port 5443 (HTTPS, self-signed). The certificate is created on first start in /var/lib/emulator (a volume, so it
# survives restarts); emulator.pem and emulator.pem.sha256 next to it are what clients pin.
# Pass --urls https://<the host name clients use>:5443: that name becomes the issuer and the Graph base address.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-alpine
# Where /app comes from: build (the SDK stage below) or prebuilt (the build context is a publish output).
ARG APP_FROM=build

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN --mount=type=cache,id=raorchestrator-nuget,target=/root/.nuget/packages \
    dotnet publish src/RAOrchestrator.GraphEmulator/RAOrchestrator.GraphEmulator.csproj \
      --configuration Release --output /app --nologo -p:UseAppHost=false

FROM scratch AS prebuilt
COPY . /app/

FROM ${APP_FROM} AS app

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=app --chown=root:root /app ./
# Owned by the app user before a volume is mounted over it, so a fresh named volume is writable.
RUN mkdir -p /var/lib/emulator && chown "$APP_UID" /var/lib/emulator
VOLUME /var/lib/emulator
EXPOSE 5443
USER $APP_UID
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=5 \
  CMD test -s /var/lib/emulator/emulator.pem.sha256 \
   && wget -q --no-check-certificate -O /dev/null https://127.0.0.1:5443/raorchestrator-partners/v2.0/.well-known/openid-configuration || exit 1
ENTRYPOINT ["dotnet", "RAOrchestrator.GraphEmulator.dll"]
CMD ["--urls", "https://localhost:5443", "--pfx", "/var/lib/emulator/emulator.pfx", "--cert-pem-out", "/var/lib/emulator/emulator.pem"]
