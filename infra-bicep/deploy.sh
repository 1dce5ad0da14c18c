#!/usr/bin/env bash
# Deploys ClockSync to one resource group. The one command for a new or existing environment:
#
#   infra-bicep/deploy.sh all <resource-group> [name=value ...]
#
# Steps (the workflow .github/workflows/deploy.yml runs them one by one):
#   infra   az deployment group create with main.bicepparam, subscribeBlobEvents=false (everything but the
#           Event Grid subscription; on an existing environment the subscription is left as it is)
#   code    dotnet publish src/ClockSync.Functions, zip, Flex Consumption one-deploy (config-zip);
#           CLOCKSYNC_PACKAGE=<zip> deploys an already built package instead
#   events  post-deploy: waits for the host's blobs_extension key (it exists once the code runs), then deploys again
#           with subscribeBlobEvents=true, which creates the BlobCreated subscription to the webhook
#   all     infra, code, events
#
# Extra name=value arguments override main.bicepparam (e.g. deployerPrincipalId=..., alertEmailAddresses='["a@b"]').
# CLOCKSYNC_PARAMETERS=<file.bicepparam> selects another environment's parameters.
# Needs: az (logged in, 2.61 or later), dotnet 10 SDK and zip (code step only).
set -euo pipefail

usage() { echo "usage: $0 <all|infra|code|events> <resource-group> [name=value ...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
step="$1"
resource_group="$2"
shift 2

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
parameters="${CLOCKSYNC_PARAMETERS:-$here/main.bicepparam}"

# Fixed deployment names, so later steps (and later workflow jobs) read the outputs of the infra deployment.
infra_deployment=clocksync-infra
events_deployment=clocksync-events

deploy() { # deploy <deployment name> <subscribeBlobEvents> [overrides...]
  local name="$1" subscribe="$2"
  shift 2
  az deployment group create \
    --resource-group "$resource_group" \
    --name "$name" \
    --parameters "$parameters" subscribeBlobEvents="$subscribe" "$@" \
    --output none
}

infra_output() {
  az deployment group show --resource-group "$resource_group" --name "$infra_deployment" \
    --query "properties.outputs.$1.value" --output tsv
}

step_infra() {
  echo "==> infrastructure ($parameters)"
  deploy "$infra_deployment" false "$@"
  echo "    function app: $(infra_output functionAppName), key vault: $(infra_output keyVaultName)"
}

step_code() {
  local app package
  app="$(infra_output functionAppName)"
  package="${CLOCKSYNC_PACKAGE:-}"
  if [ -z "$package" ]; then
    local out="$root/artifacts/functions"
    echo "==> publishing src/ClockSync.Functions"
    rm -rf "$out" "$root/artifacts/clocksync-functions.zip"
    dotnet publish "$root/src/ClockSync.Functions" --configuration Release --output "$out"
    (cd "$out" && zip -q -r "$root/artifacts/clocksync-functions.zip" .)
    package="$root/artifacts/clocksync-functions.zip"
  fi
  echo "==> deploying $package to $app (Flex Consumption one-deploy)"
  az functionapp deployment source config-zip --resource-group "$resource_group" --name "$app" --src "$package" --output none
}

step_events() {
  local app attempt
  app="$(infra_output functionAppName)"
  echo "==> waiting for the blobs_extension key of $app (created when the host starts the Event Grid blob trigger)"
  # Asking for the keys also wakes the host. The key itself is never printed: only whether it exists.
  for attempt in $(seq 1 30); do
    if [ "$(az functionapp keys list --resource-group "$resource_group" --name "$app" \
          --query 'systemKeys.blobs_extension != null' --output tsv 2>/dev/null || true)" = "true" ]; then
      echo "==> subscribing IngestClockExport to BlobCreated on clock-exports"
      deploy "$events_deployment" true "$@"
      return 0
    fi
    echo "    not yet (attempt $attempt/30)"
    sleep 10
  done
  echo "The blobs_extension key did not appear. Check that the code deployed and the host starts (Application Insights," >&2
  echo "az functionapp show), then run: $0 events $resource_group" >&2
  return 1
}

case "$step" in
  infra) step_infra "$@" ;;
  code) step_code ;;
  events) step_events "$@" ;;
  all) step_infra "$@"; step_code; step_events "$@" ;;
  *) usage ;;
esac
