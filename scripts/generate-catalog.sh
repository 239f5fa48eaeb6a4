#!/usr/bin/env bash
# Regenerates the bundled us-east-1 catalog from EC2 instance-type data served by moto_server (an EC2 emulator
# that carries the real DescribeInstanceTypes data) and the on-demand price table in data/.
# Against a real account instead: drop --endpoint and run the catalog verb with AWS credentials.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v moto_server >/dev/null || { echo "moto_server not found (pip install 'moto[server]')" >&2; exit 2; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
moto_server -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -s "http://127.0.0.1:$port/" >/dev/null 2>&1 && break
  sleep 0.2
done
dotnet run --project autoscaler/Platform.Autoscaler -- catalog \
  --endpoint "http://127.0.0.1:$port" --region us-east-1 \
  --prices data/ec2-on-demand-prices-us-east-1.csv \
  --out autoscaler/Platform.Autoscaler.Core/Catalog/Data/us-east-1.json
