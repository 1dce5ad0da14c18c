#!/usr/bin/env bash
# Writes (default) or validates the committed deployment snapshots, one per parameter file:
#   main.bicepparam   -> main.snapshot.json     dev, as the infra step deploys it (no Event Grid subscription)
#   events.bicepparam -> events.snapshot.json   dev, as the post-deploy events step deploys it (with the subscription)
#   prod.bicepparam   -> prod.snapshot.json     production: private network, warm blob instance
#   infra-bicep/snapshot.sh            # after changing anything under infra-bicep/: refresh, review the diff, commit
#   infra-bicep/snapshot.sh validate   # what the tests run: fails if the template no longer matches a snapshot
# Uses the Bicep CLI from the NuGet package the test project restores (dotnet restore tests/ClockSync.Infra.Tests),
# or $BICEP if set.
set -euo pipefail

mode="${1:-overwrite}"
here="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source=snapshot.env
source "$here/snapshot.env"

bicep="${BICEP:-${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/0.49.2/tools/bicep}"
if [ ! -f "$bicep" ]; then
  echo "Bicep CLI not found at $bicep; run: dotnet restore tests/ClockSync.Infra.Tests" >&2
  exit 1
fi
# NuGet extracts the binary without its execute bit.
[ -x "$bicep" ] || chmod +x "$bicep"

for parameters in main events prod; do
  "$bicep" snapshot "$here/$parameters.bicepparam" --mode "$mode" \
    --tenant-id "$SNAPSHOT_TENANT_ID" \
    --subscription-id "$SNAPSHOT_SUBSCRIPTION_ID" \
    --resource-group "$SNAPSHOT_RESOURCE_GROUP" \
    --location "$SNAPSHOT_LOCATION" \
    --deployment-name "$SNAPSHOT_DEPLOYMENT_NAME"
done
