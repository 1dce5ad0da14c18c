#!/usr/bin/env bash
# Deploys ClockSync to one resource group.
#
#   infra-bicep/deploy.sh preflight <resource-group> [name=value ...]   check first; creates and changes nothing
#   infra-bicep/deploy.sh all <resource-group> [name=value ...]         a new or existing environment, end to end
#
# Steps (the workflow .github/workflows/deploy.yml runs them one by one):
#   preflight  az version, sign-in, the resource group, resource providers, the caller's roles on the group, Flex
#              Consumption in the group's region and the chosen memory size; prints what to fix
#   infra      az deployment group create with the parameter file and subscribeBlobEvents=false: everything but
#              the Event Grid subscription (on an existing environment the subscription is left as it is)
#   code       dotnet publish src/ClockSync.Functions, zip, Flex Consumption one-deploy (config-zip);
#              CLOCKSYNC_PACKAGE=<zip> deploys an already built package instead
#   events     post-deploy: waits for the host's blobs_extension key (it exists once the code runs), then deploys
#              again with subscribeBlobEvents=true, which creates the BlobCreated subscription to the webhook
#   all        infra, code, events (infra checks the providers first)
#
# Extra name=value arguments override the parameter file (e.g. deployerPrincipalId=..., alertEmailAddresses='["a@b"]').
# With deployerPrincipalId but no deployerPrincipalType, the type is taken from the signed-in account (a pipeline's
# service principal must not be typed User). CLOCKSYNC_PARAMETERS=<file.bicepparam> selects another environment.
#
# Every wait is bounded (seconds; override through the environment):
#   CLOCKSYNC_DEPLOY_TIMEOUT (1800) one az deployment group create; ARM goes on if it is cut: see the message
#   CLOCKSYNC_CODE_TIMEOUT    (900) the package upload. Some az releases keep polling the Flex host's status long
#                                   after the package landed; this bound, not the az version, ends that wait
#   CLOCKSYNC_KEY_WAIT        (900) the host's blobs_extension key, polled every CLOCKSYNC_POLL_SECONDS (15)
#   CLOCKSYNC_AZ_CALL_TIMEOUT (120) any single read-only az call (keys, providers, roles)
# Needs: az 2.61.0 or later (logged in) with Bicep, coreutils timeout; dotnet 10 SDK and zip (code step only).
set -euo pipefail

readonly minimum_az_version=2.61.0

# What the template creates, by resource provider. A resource-group Contributor cannot register a provider (that is
# a subscription-level action), so in a fresh subscription someone with rights on the subscription registers them
# once. Microsoft.App: the Flex Consumption plan runs on it and does not register it for you.
readonly required_providers=(
  Microsoft.Web
  Microsoft.App
  Microsoft.Storage
  Microsoft.KeyVault
  Microsoft.ManagedIdentity
  Microsoft.Insights
  Microsoft.OperationalInsights
  Microsoft.EventGrid
)
# Only with publicNetworkAccess=Disabled (the virtual network, private endpoints and DNS zones).
readonly private_network_provider=Microsoft.Network

readonly deploy_timeout="${CLOCKSYNC_DEPLOY_TIMEOUT:-1800}"
readonly code_timeout="${CLOCKSYNC_CODE_TIMEOUT:-900}"
readonly key_wait="${CLOCKSYNC_KEY_WAIT:-900}"
readonly poll_seconds="${CLOCKSYNC_POLL_SECONDS:-15}"
readonly call_timeout="${CLOCKSYNC_AZ_CALL_TIMEOUT:-120}"

usage() { echo "usage: $0 <preflight|all|infra|code|events> <resource-group> [name=value ...]" >&2; exit 2; }
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

# A read-only az call that cannot hang the script.
az_read() { timeout --kill-after=10 "$call_timeout" az "$@"; }

# The value of a parameter: a name=value override wins over the parameter file.
parameter_value() { # parameter_value <name> [overrides...]
  local name="$1" argument
  shift
  for argument in "$@"; do
    if [ "${argument%%=*}" = "$name" ]; then
      echo "${argument#*=}"
      return 0
    fi
  done
  sed -n -E "s/^param $name = '?([^']*)'?[[:space:]]*$/\1/p" "$parameters" | head -n 1
}

# deployerPrincipalType from the signed-in account when only deployerPrincipalId is given.
with_deployer_type() { # prints the overrides, one a line, completed
  local argument has_id=false has_type=false
  for argument in "$@"; do
    printf '%s\n' "$argument"
    case "$argument" in
      deployerPrincipalId=?*) has_id=true ;;
      deployerPrincipalType=*) has_type=true ;;
    esac
  done
  if [ "$has_id" = true ] && [ "$has_type" = false ]; then
    case "$(az_read account show --query user.type --output tsv)" in
      servicePrincipal) echo "deployerPrincipalType=ServicePrincipal" ;;
      *) echo "deployerPrincipalType=User" ;;
    esac
  fi
}

deploy() { # deploy <deployment name> <subscribeBlobEvents> [overrides...]
  local name="$1" subscribe="$2" status=0
  shift 2
  local overrides=()
  mapfile -t overrides < <(with_deployer_type "$@")
  timeout --kill-after=30 "$deploy_timeout" az deployment group create \
    --resource-group "$resource_group" \
    --name "$name" \
    --parameters "$parameters" subscribeBlobEvents="$subscribe" "${overrides[@]}" \
    --output none || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "The deployment $name did not finish within ${deploy_timeout}s; ARM may still be running it." >&2
    echo "Follow it with: az deployment group show -g $resource_group -n $name --query properties.provisioningState" >&2
    echo "or stop it with: az deployment group cancel -g $resource_group -n $name" >&2
  fi
  return "$status"
}

infra_output() {
  az_read deployment group show --resource-group "$resource_group" --name "$infra_deployment" \
    --query "properties.outputs.$1.value" --output tsv
}

# ---------------------------------------------------------------------------------------------------------------
# Checks (preflight; infra runs the provider check before it deploys)
# ---------------------------------------------------------------------------------------------------------------

problems=0
problem() { echo "  FIX: $*"; problems=$((problems + 1)); }
ok() { echo "  ok:  $*"; }

version_at_least() { # version_at_least <have> <need>
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

check_az() {
  local version
  if ! command -v az >/dev/null 2>&1; then
    problem "az is not installed: https://learn.microsoft.com/cli/azure/install-azure-cli (2.61.0 or later)"
    return 1
  fi
  version="$(az_read version --query '"azure-cli"' --output tsv 2>/dev/null || true)"
  if [ -z "$version" ]; then
    problem "could not read the az version (az version)"
  elif version_at_least "$version" "$minimum_az_version"; then
    ok "az $version (needs $minimum_az_version or later)"
  else
    problem "az $version is older than $minimum_az_version: run az upgrade"
  fi
  if ! az_read account show --output none 2>/dev/null; then
    problem "not signed in: run az login (and az account set --subscription <id>)"
    return 1
  fi
}

check_providers() { # check_providers [overrides...]
  local namespace state missing=() wanted=("${required_providers[@]}")
  if [ "$(parameter_value publicNetworkAccess "$@")" = "Disabled" ]; then
    wanted+=("$private_network_provider")
  fi
  for namespace in "${wanted[@]}"; do
    state="$(az_read provider show --namespace "$namespace" --query registrationState --output tsv 2>/dev/null || true)"
    if [ -z "$state" ]; then
      # A principal with rights on the resource group only may not read the subscription's registrations.
      echo "  warn: could not read whether $namespace is registered; if the deployment fails with" \
        "MissingSubscriptionRegistration, have it registered: az provider register --namespace $namespace"
    elif [ "$state" != "Registered" ]; then
      missing+=("$namespace")
      problem "resource provider $namespace is $state, not Registered. Someone with rights on the subscription" \
        "(a resource-group Contributor cannot) runs: az provider register --namespace $namespace"
    fi
  done
  [ ${#missing[@]} -eq 0 ] && ok "resource providers registered: ${wanted[*]}"
  [ ${#missing[@]} -eq 0 ]
}

caller_object_id() {
  local kind
  kind="$(az_read account show --query user.type --output tsv)"
  if [ "$kind" = "servicePrincipal" ]; then
    az_read ad sp show --id "$(az_read account show --query user.name --output tsv)" --query id --output tsv
  else
    az_read ad signed-in-user show --query id --output tsv
  fi
}

check_roles() { # check_roles <resource group id>
  local caller roles
  if ! caller="$(caller_object_id 2>/dev/null)" || [ -z "$caller" ]; then
    echo "  warn: could not look up your object id (Microsoft Graph); check by hand that you hold Owner, or"
    echo "        Contributor and Role Based Access Control Administrator, on $resource_group"
    return 0
  fi
  if ! roles="$(az_read role assignment list --assignee "$caller" --scope "$1" --include-inherited --include-groups \
      --query '[].roleDefinitionName' --output tsv 2>/dev/null)"; then
    echo "  warn: could not list your role assignments on $resource_group (group membership needs Microsoft Graph);"
    echo "        check by hand that you hold Owner, or Contributor and Role Based Access Control Administrator"
    return 0
  fi
  if grep -qx 'Owner' <<<"$roles"; then
    ok "you hold Owner on $resource_group"
    return 0
  fi
  if ! grep -qx 'Contributor' <<<"$roles"; then
    problem "you need Contributor (or Owner) on $resource_group to create its resources"
  fi
  if grep -qx -e 'Role Based Access Control Administrator' -e 'User Access Administrator' <<<"$roles"; then
    ok "you can create role assignments on $resource_group"
  else
    problem "you need Role Based Access Control Administrator (or Owner) on $resource_group: the template assigns" \
      "the app identity's data roles"
  fi
}

check_flex_region() { # check_flex_region <location> [overrides...]
  local location="$1" memory runtimes normalized
  shift
  normalized="$(tr -d ' ' <<<"${location,,}")"
  if az_read functionapp list-flexconsumption-locations --query '[].name' --output tsv 2>/dev/null \
      | tr -d ' ' | tr '[:upper:]' '[:lower:]' | grep -qx "$normalized"; then
    ok "$location offers Flex Consumption"
  else
    problem "$location does not offer Flex Consumption: create the resource group in a region listed by" \
      "az functionapp list-flexconsumption-locations -o table"
    return 0
  fi

  memory="$(parameter_value instanceMemoryMB "$@")"
  runtimes="$(az_read functionapp list-flexconsumption-runtimes --location "$location" --runtime dotnet-isolated \
    --query "[?version=='10.0']" --output json 2>/dev/null || true)"
  if ! grep -q '10.0' <<<"$runtimes"; then
    problem "$location does not offer dotnet-isolated 10.0 on Flex Consumption (az functionapp list-flexconsumption-runtimes)"
  elif ! grep -q '"size"' <<<"$runtimes"; then
    echo "  warn: could not read the memory sizes offered in $location; check that ${memory:-2048} MB is among them"
  elif grep -Eq "\"size\": *${memory:-2048}([^0-9]|$)" <<<"$runtimes"; then
    ok "dotnet-isolated 10.0 with ${memory:-2048} MB instances in $location"
  else
    problem "$location does not offer ${memory:-2048} MB instances for dotnet-isolated 10.0: set instanceMemoryMB to" \
      "a size az functionapp list-flexconsumption-runtimes --location $location --runtime dotnet-isolated lists"
  fi
}

check_parameters() { # check_parameters [overrides...]
  local maximum
  maximum="$(parameter_value maximumInstanceCount "$@")"
  if [ -n "$maximum" ] && [ "$maximum" -lt 40 ]; then
    problem "maximumInstanceCount = $maximum: Flex Consumption accepts 40 or more (InvalidMaximumInstanceCount)"
  fi
}

step_preflight() {
  local group location
  echo "==> preflight for $resource_group ($parameters)"
  if check_az; then
    group="$(az_read group show --name "$resource_group" --query '[id, location]' --output tsv 2>/dev/null || true)"
    if [ -z "$group" ]; then
      problem "resource group $resource_group not found (or not visible to you): az group create --name $resource_group" \
        "--location <a Flex Consumption region>"
    else
      location="$(sed -n 2p <<<"$group")"
      check_providers "$@" || true
      check_roles "$(sed -n 1p <<<"$group")"
      check_flex_region "$location" "$@"
    fi
  fi
  check_parameters "$@"
  if [ "$problems" -gt 0 ]; then
    echo "==> $problems thing(s) to fix before deploying (see FIX above)" >&2
    return 1
  fi
  echo "==> ready to deploy: $0 all $resource_group"
}

# ---------------------------------------------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------------------------------------------

step_infra() {
  echo "==> resource providers"
  if ! check_providers "$@"; then
    echo "==> stopped before deploying: register the providers above (or run $0 preflight $resource_group)" >&2
    return 1
  fi
  echo "==> infrastructure ($parameters)"
  deploy "$infra_deployment" false "$@"
  echo "    function app: $(infra_output functionAppName), key vault: $(infra_output keyVaultName)"
}

step_code() {
  local app package status=0
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
  echo "==> deploying $package to $app (Flex Consumption one-deploy, at most ${code_timeout}s)"
  timeout --kill-after=30 "$code_timeout" az functionapp deployment source config-zip \
    --resource-group "$resource_group" --name "$app" --src "$package" --output none || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "az did not return within ${code_timeout}s. Some az releases keep polling the Flex host after the package" >&2
    echo "has landed: check the app's deployments in the portal (Deployment Center) or az functionapp function list" >&2
    echo "-g $resource_group -n $app, run az upgrade, then run: $0 code $resource_group" >&2
  fi
  return "$status"
}

step_events() {
  local app deadline attempt=0 present
  app="$(infra_output functionAppName)"
  deadline=$((SECONDS + key_wait))
  echo "==> waiting (at most ${key_wait}s) for the blobs_extension key of $app (created when the host starts the Event Grid blob trigger)"
  # Asking for the keys also wakes the host. The key itself is never printed: only whether it exists.
  while :; do
    attempt=$((attempt + 1))
    present="$(az_read functionapp keys list --resource-group "$resource_group" --name "$app" \
      --query 'systemKeys.blobs_extension != null' --output tsv 2>/dev/null || true)"
    if [ "$present" = "true" ]; then
      echo "==> subscribing IngestClockExport to BlobCreated on clock-exports"
      # Event Grid validates the webhook when the subscription is created; a host that went cold again can miss
      # that handshake, so the deployment is tried again (the key lookup above wakes the host) within the same bound.
      if deploy "$events_deployment" true "$@"; then
        return 0
      fi
      echo "    the subscription deployment failed (attempt $attempt); trying again while time is left" >&2
    else
      echo "    not yet (attempt $attempt)"
    fi
    if [ $((SECONDS + poll_seconds)) -ge "$deadline" ]; then
      break
    fi
    sleep "$poll_seconds"
  done
  echo "The Event Grid subscription was not created within ${key_wait}s. Check that the code deployed and the host" >&2
  echo "starts (Application Insights, az functionapp function list -g $resource_group -n $app), then run: $0 events $resource_group" >&2
  return 1
}

case "$step" in
  preflight) step_preflight "$@" ;;
  infra) step_infra "$@" ;;
  code) step_code ;;
  events) step_events "$@" ;;
  all) step_infra "$@"; step_code; step_events "$@" ;;
  *) usage ;;
esac
