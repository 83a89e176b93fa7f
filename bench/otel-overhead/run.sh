#!/usr/bin/env bash
# Join-and-admit with and without OTLP export (issue 8: at most 10 % throughput lost to telemetry).
# The exporting run sends traces, metrics and logs over OTLP/HTTP to a sink on loopback that reads each request
# whole and answers 200 (so the host pays for recording, batching, serialising and sending, and nothing else).
# Runs alternate (off, on, off, on, ...) so drift on a shared machine hits both alike.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 bench/otel-overhead/sink.py "$port" &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
dotnet build bench/RAOrchestrator.Bench -c Release --nologo -v quiet
bench="dotnet bench/RAOrchestrator.Bench/bin/Release/net10.0/RAOrchestrator.Bench.dll join-admit --only join-admit,echo-host --reps 3"
for r in $(seq 1 "$rounds"); do
  echo "== round $r: telemetry recorded, not exported"
  $bench 2>/dev/null | grep -E "^\| \((b|e)\)" || true
  echo "== round $r: exported over OTLP/HTTP to the sink"
  $bench --host-env "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$port" --host-env "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf" \
    --host-env "OTEL_METRIC_EXPORT_INTERVAL=1000" 2>/dev/null | grep -E "^\| \((b|e)\)" || true
done
echo "sink received: $(cat "/tmp/otel-sink-$port.count" 2>/dev/null || echo 0) export requests"
