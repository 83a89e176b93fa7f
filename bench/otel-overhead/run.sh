#!/usr/bin/env bash
# Join-and-admit with and without OTLP export (issue 8: at most 10 % throughput lost to telemetry).
# Both arms record the same telemetry with the same trace sampler (Telemetry:Traces=on, since a host without an
# exporter records no spans by default); the exporting arm also sends traces, metrics and
# logs over OTLP/HTTP to a sink on loopback that reads each request whole and answers 200 (so the host pays for
# batching, serialising and sending, and nothing else). The sink stands in for a collector on another machine, so it
# runs on the load generator's core (1), not the servers' (0). Runs alternate (off, on, off, on, ...) so drift on a
# shared machine hits both alike.
#
#   bench/otel-overhead/run.sh [rounds]
#   TRACES_SAMPLER=parentbased_always_on bench/otel-overhead/run.sh 2      # every trace recorded and exported
#
# Defaults are the Helm chart's: traces head-sampled at 0.1 (parent-based), metrics every 15 s.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
sampler=${TRACES_SAMPLER:-parentbased_traceidratio}
sampler_arg=${TRACES_SAMPLER_ARG:-0.1}
interval=${METRIC_INTERVAL_MS:-15000}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 1); fi
"${pin[@]}" python3 bench/otel-overhead/sink.py "$port" &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
dotnet build bench/RAOrchestrator.Bench -c Release --nologo -v quiet >/tmp/otel-overhead-build.log || { cat /tmp/otel-overhead-build.log; exit 1; }
bench=(dotnet bench/RAOrchestrator.Bench/bin/Release/net10.0/RAOrchestrator.Bench.dll join-admit --only join-admit,echo-host,grain-grpc --reps 3
  --host-env "OTEL_TRACES_SAMPLER=$sampler" --host-env "OTEL_TRACES_SAMPLER_ARG=$sampler_arg" --host-env "Telemetry__Traces=on")
echo "traces: $sampler $sampler_arg; metrics every $interval ms"
for r in $(seq 1 "$rounds"); do
  echo "== round $r: telemetry recorded, not exported"
  "${bench[@]}" 2>/dev/null | grep -E "^\| \((b|c|e)\)" || true
  echo "== round $r: exported over OTLP/HTTP to the sink"
  "${bench[@]}" --host-env "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$port" --host-env "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf" \
    --host-env "OTEL_METRIC_EXPORT_INTERVAL=$interval" 2>/dev/null | grep -E "^\| \((b|c|e)\)" || true
done
echo "sink received: $(cat "/tmp/otel-sink-$port.count" 2>/dev/null || echo 0) export requests"
