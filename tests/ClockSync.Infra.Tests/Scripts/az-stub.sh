#!/usr/bin/env bash
# Stand-in for `az` in the deploy.sh tests (DeployScriptTests puts it first on PATH as `az`). It answers from STUB_*
# variables and appends every call to $STUB_LOG, so a test can set up one thing that is wrong and read what deploy.sh
# did about it. An unexpected call fails loudly (exit 64) instead of passing silently.
set -u
echo "$*" >>"${STUB_LOG:-/dev/null}"

case "$*" in
  "version "*) echo "${STUB_AZ_VERSION:-2.75.0}" ;;
  "account show --output none") [ "${STUB_SIGNED_IN:-true}" = true ] ;;
  "account show --query user.type"*) echo "${STUB_USER_TYPE:-user}" ;;
  "account show --query user.name"*) echo "44444444-4444-4444-4444-444444444444" ;;
  "ad signed-in-user show"* | "ad sp show"*) echo "33333333-3333-3333-3333-333333333333" ;;
  "group show"*)
    [ "${STUB_GROUP_EXISTS:-true}" = true ] || exit 3
    printf '%s\n%s\n' "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test" "${STUB_LOCATION:-swedencentral}"
    ;;
  "provider show --namespace "*)
    [ "${STUB_PROVIDERS_UNREADABLE:-false}" = true ] && exit 1
    namespace="$(awk '{ print $4 }' <<<"$*")"
    if tr ' ' '\n' <<<"${STUB_UNREGISTERED:-}" | grep -qx "$namespace"; then echo NotRegistered; else echo Registered; fi
    ;;
  "role assignment list"*)
    [ "${STUB_ROLES_UNREADABLE:-false}" = true ] && exit 1
    tr ';' '\n' <<<"${STUB_ROLES:-Owner}"
    ;;
  "functionapp list-flexconsumption-locations"*) tr ' ' '\n' <<<"${STUB_FLEX_LOCATIONS:-swedencentral eastus}" ;;
  "functionapp list-flexconsumption-runtimes"*)
    all_sizes='[{"version": "10.0", "sku": {"instanceMemoryMB": [{"size": 512}, {"size": 2048}, {"size": 4096}]}}]'
    echo "${STUB_RUNTIMES:-$all_sizes}"
    ;;
  "deployment group create"*)
    [ "${STUB_HANG:-}" = deploy ] && exec sleep 600
    exit "${STUB_DEPLOY_EXIT:-0}"
    ;;
  "deployment group show"*) echo "func-clocksync-test" ;;
  "functionapp deployment source config-zip"*)
    [ "${STUB_HANG:-}" = code ] && exec sleep 600
    exit 0
    ;;
  "functionapp keys list"*) echo "${STUB_KEY_PRESENT:-true}" ;;
  *)
    echo "az stub: unexpected call: az $*" >&2
    exit 64
    ;;
esac
