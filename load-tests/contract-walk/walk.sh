#!/usr/bin/env bash
# Walks every operation of the contract, successes and refusals, against BASE (default
# http://127.0.0.1:8080). Put a validating proxy in front to check the replies against the
# contract (see README.md here): every reply's `sl-violations` header is read, and the walk fails
# on any violation located in a response and on any status other than the one expected.
# Needs curl and jq; sends to 127.0.0.1 only, a bounded number of requests (about 250).
set -uo pipefail
BASE=${BASE:-http://127.0.0.1:8080}
case "$BASE" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "BASE must be on 127.0.0.1" >&2; exit 2 ;; esac
ADMIN_SECRET=${ADMIN_SECRET:-$(cat "${GOVSHARE_DATA_DIR:-data}/admin-secret.txt")}
B=$BASE/api/v1
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
S=$(date +%s%N | tail -c 7)            # a suffix: the walk can run again on the same database
CALLS=0; BAD=0; VIOLATIONS=0; declare -A SEEN

# call EXPECTED_STATUS OPERATION_ID METHOD PATH [curl args…]; the body is left in $TMP/body
call() {
  local expect=$1 op=$2 method=$3 path=$4; shift 4
  local status
  status=$(curl -s -m 20 -o "$TMP/body" -D "$TMP/head" -w '%{http_code}' -X "$method" "$B$path" "$@")
  CALLS=$((CALLS + 1)); SEEN[$op]=1
  if [ "$status" != "$expect" ]; then
    BAD=$((BAD + 1)); echo "UNEXPECTED $op: $method $path → $status (wanted $expect): $(head -c 300 "$TMP/body")"
  fi
  local v
  v=$(grep -i '^sl-violations:' "$TMP/head" | cut -d' ' -f2- | tr -d '\r')
  if [ -n "$v" ]; then
    local n
    n=$(jq '[.[] | select(.location[0] == "response")] | length' <<<"$v" 2>/dev/null || echo 1)
    if [ "$n" != "0" ]; then
      VIOLATIONS=$((VIOLATIONS + n))
      echo "VIOLATION $op: $method $path → $status: $(jq -c '[.[] | select(.location[0] == "response") | {location, message}]' <<<"$v")"
    fi
  fi
}
field() { jq -r "$1" "$TMP/body"; }
tok() { curl -s -m 20 "$B/auth/token" -d grant_type=client_credentials -d client_id="$1" --data-urlencode client_secret="$2" | jq -r .access_token; }
J=(-H 'Content-Type: application/json')

# identity
call 200 issueToken POST /auth/token -d grant_type=client_credentials -d client_id=admin --data-urlencode client_secret="$ADMIN_SECRET"
ADMIN=$(field .access_token)
call 200 issueToken POST /auth/token "${J[@]}" -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"admin\",\"client_secret\":$(jq -Rn --arg s "$ADMIN_SECRET" '$s')}"
call 200 issueToken POST /auth/token -u "admin:$ADMIN_SECRET" -d grant_type=client_credentials
call 401 issueToken POST /auth/token -d grant_type=client_credentials -d client_id=admin -d client_secret=wrong-secret
call 400 issueToken POST /auth/token -d grant_type=password -d client_id=admin -d client_secret=x
call 415 issueToken POST /auth/token -H 'Content-Type: text/plain' -d 'grant_type=client_credentials'
A=(-H "Authorization: Bearer $ADMIN")
P="PV$S"; C="CS$S"; T="TD$S"
for d in "$P 县民政局" "$C 县人社局" "$T 县统计局"; do
  set -- $d
  call 201 createDepartment POST /departments "${A[@]}" "${J[@]}" -d "{\"code\":\"$1\",\"name\":\"$2\",\"kind\":\"DEPARTMENT\"}"
done
call 409 createDepartment POST /departments "${A[@]}" "${J[@]}" -d "{\"code\":\"$P\",\"name\":\"again\",\"kind\":\"DEPARTMENT\"}"
call 422 createDepartment POST /departments "${A[@]}" "${J[@]}" -d "{\"code\":\"X$S\",\"name\":\"bad\",\"kind\":\"DEPARTMENT\",\"creditCode\":\"91350100M000100Y44\"}"
call 400 createDepartment POST /departments "${A[@]}" "${J[@]}" -d '{"code":"x","name":"","kind":"NOPE"}'
call 401 createDepartment POST /departments "${J[@]}" -d '{}'
call 200 listDepartments GET "/departments?limit=2" "${A[@]}"
call 400 listDepartments GET "/departments?limit=0" "${A[@]}"
call 200 getDepartment GET "/departments/$P" "${A[@]}"
call 404 getDepartment GET "/departments/NONE$S" "${A[@]}"
client() {  # department roles… → "id secret"
  local d=$1; shift
  local roles; roles=$(printf '"%s",' "$@"); roles="[${roles%,}]"
  call 201 createClient POST "/departments/$d/clients" "${A[@]}" "${J[@]}" -d "{\"name\":\"系统$S\",\"roles\":$roles}"
  field '"\(.clientId) \(.clientSecret)"'
}
read PID PSEC < <(client "$P" PROVIDER DEPT_ADMIN); PT=$(tok "$PID" "$PSEC")
read CID CSEC < <(client "$C" CONSUMER); CT=$(tok "$CID" "$CSEC")
read TID TSEC < <(client "$T" CONSUMER PROVIDER); TT=$(tok "$TID" "$TSEC")
read XID XSEC < <(client "$T" CONSUMER)
PA=(-H "Authorization: Bearer $PT"); CA=(-H "Authorization: Bearer $CT"); TA=(-H "Authorization: Bearer $TT")
call 404 createClient POST "/departments/NONE$S/clients" "${A[@]}" "${J[@]}" -d '{"name":"x","roles":["CONSUMER"]}'
call 403 createClient POST "/departments/$C/clients" "${PA[@]}" "${J[@]}" -d '{"name":"x","roles":["CONSUMER"]}'
call 403 createClient POST "/departments/$P/clients" "${PA[@]}" "${J[@]}" -d '{"name":"x","roles":["AUDITOR"]}'
call 400 createClient POST "/departments/$P/clients" "${A[@]}" "${J[@]}" -d '{"name":"x","roles":[]}'
call 200 listClients GET "/departments/$P/clients" "${PA[@]}"
call 403 listClients GET "/departments/$C/clients" "${PA[@]}"
call 404 listClients GET "/departments/NONE$S/clients" "${A[@]}"
call 400 listClients GET "/departments/$P/clients?limit=501" "${A[@]}"
call 200 rotateClientSecret POST "/clients/$XID/secret" "${A[@]}"
call 403 rotateClientSecret POST "/clients/$XID/secret" "${PA[@]}"
call 404 rotateClientSecret POST "/clients/none$S/secret" "${A[@]}"
call 204 revokeClient DELETE "/clients/$XID" "${A[@]}"
call 409 rotateClientSecret POST "/clients/$XID/secret" "${A[@]}"
call 204 revokeClient DELETE "/clients/$XID" "${A[@]}"             # again: DELETE is idempotent
call 403 revokeClient DELETE "/clients/$CID" "${PA[@]}"
call 404 revokeClient DELETE "/clients/none$S" "${A[@]}"

# an AUDITOR reads everything and changes nothing: every write is refused before its body is read
read UID_ USEC < <(client BUREAU AUDITOR); UT=$(tok "$UID_" "$USEC"); UA=(-H "Authorization: Bearer $UT")
call 403 createDepartment POST /departments "${UA[@]}" "${J[@]}" -d "{\"code\":\"AU$S\",\"name\":\"审计不建部门\",\"kind\":\"DEPARTMENT\"}"
call 403 createClient POST "/departments/$P/clients" "${UA[@]}" "${J[@]}" -d '{"name":"x","roles":["CONSUMER"]}'
call 403 readAllNotifications POST /notifications/read "${UA[@]}"
call 403 putCalendarYear PUT /calendar/2099 "${UA[@]}" "${J[@]}" -d '{"holidays":[],"workdays":[]}'
call 200 listDepartments GET "/departments?limit=2" "${UA[@]}"

# bodies over the operation's limit get 413 before they are read (token requests: 8 KiB; JSON: 1 MiB)
printf 'grant_type=client_credentials&client_id=admin&client_secret=%s' "$(head -c 9000 /dev/zero | tr '\0' s)" > "$TMP/big-form"
call 413 issueToken POST /auth/token --data-binary @"$TMP/big-form"
printf '{"code":"BIG%s","name":"%s","kind":"DEPARTMENT"}' "$S" "$(head -c 1100000 /dev/zero | tr '\0' n)" > "$TMP/big-json"
call 413 createDepartment POST /departments "${A[@]}" "${J[@]}" --data-binary @"$TMP/big-json"
# text that is not plain text: control and bidirectional formatting characters, broken UTF-8 (400)
printf '{"code":"BD%s","name":"县\342\200\256局","kind":"DEPARTMENT"}' "$S" > "$TMP/bidi"
call 400 createDepartment POST /departments "${A[@]}" "${J[@]}" --data-binary @"$TMP/bidi"
# broken UTF-8 (400 from the server; a proxy may pass it on re-encoded as U+FFFD, still no cursor)
call 400 listDepartments GET "/departments?cursor=%E4%BD" "${A[@]}"

# audit
call 200 listAudit GET "/audit?department=$P&limit=5" "${A[@]}"
call 200 listAudit GET "/audit?limit=5" "${PA[@]}"
call 200 listAudit GET "/audit?subject=$P&limit=5" "${A[@]}"         # what was done to P (its creation, its clients)
call 200 listAudit GET "/audit?subject=$P&limit=5" "${UA[@]}"
call 403 listAudit GET "/audit" "${CA[@]}"
call 400 listAudit GET "/audit?outcome=MAYBE" "${A[@]}"
call 200 verifyAudit GET /audit/verify "${A[@]}"
call 403 verifyAudit GET /audit/verify "${CA[@]}"

# catalogue
ENTRY='{"name":"最低生活保障对象信息'$S'","summary":"低保对象家庭成员与收入核定情况","category":"DEPARTMENTAL","subject":null,
 "provider":"'$P'","format":{"class":"DATABASE","subtype":"PostgreSQL"},
 "items":[{"key":"id_number","name":"公民身份号码","dataType":"C","length":18,"isKey":true,"sensitive":true},
  {"key":"name","name":"姓名","dataType":"C","length":50,"shareType":"UNCONDITIONAL"},
  {"key":"income","name":"家庭月收入","dataType":"N","length":12}],
 "shareType":"CONDITIONAL","shareCondition":"经审批后共享","shareMethod":"PLATFORM_API","openType":"NOT_OPEN",
 "updatePeriod":"MONTHLY","relatedResources":[],"classified":false,"access":{"mode":"HOSTED"}}'
call 201 createCatalogResource POST /catalog/resources "${PA[@]}" "${J[@]}" -d "$ENTRY"
CODE=$(field .code); ENC=${CODE/\//%2F}; CLS=${CODE%/*}; SEQ=${CODE#*/}
call 403 createCatalogResource POST /catalog/resources "${CA[@]}" "${J[@]}" -d "$ENTRY"
call 422 createCatalogResource POST /catalog/resources "${PA[@]}" "${J[@]}" -d "$(jq '.shareType="NOT_SHARED"' <<<"$ENTRY")"
call 400 createCatalogResource POST /catalog/resources "${PA[@]}" "${J[@]}" -d '{"name":1}'
call 415 createCatalogResource POST /catalog/resources "${PA[@]}" -H 'Content-Type: text/plain' -d 'x'
call 200 searchCatalogResources GET "/catalog/resources?q=%E4%BD%8E%E4%BF%9D&provider=$P&status=DRAFT" "${PA[@]}"
call 200 searchCatalogResources GET "/catalog/resources?provider=$P&status=DRAFT" "${PA[@]}" -H 'Accept: text/csv'
call 400 searchCatalogResources GET "/catalog/resources?limit=0" "${PA[@]}"
call 400 searchCatalogResources GET "/catalog/resources?q=a%01b" "${PA[@]}"          # a control character
call 400 searchCatalogResources GET "/catalog/resources?q=a%E2%80%AEb" "${PA[@]}"    # U+202E
call 200 searchCatalogResources GET "/catalog/resources?q=a%22b%5C" "${PA[@]}"       # quotes and backslashes are text
call 403 searchCatalogResources GET "/catalog/resources?plan=scan" "${PA[@]}"
call 200 getCatalogResource GET "/catalog/resources/$ENC" "${PA[@]}"
cp "$TMP/body" "$TMP/entry"
call 400 getCatalogResource GET "/catalog/resources/not-a-code" "${PA[@]}"
call 404 getCatalogResource GET "/catalog/resources/999999%2F999999" "${PA[@]}"
call 200 getCatalogResourceByParts GET "/catalog/resources/$CLS/$SEQ" "${PA[@]}"
call 404 getCatalogResourceByParts GET "/catalog/resources/999999/999999" "${PA[@]}"
# a GET → edit → PUT round trip: the read-only fields of the GET are accepted and ignored
call 200 updateCatalogResource PUT "/catalog/resources/$ENC" "${PA[@]}" "${J[@]}" --data-binary "$(jq '.summary += "（含家庭成员）"' "$TMP/entry")"
call 404 updateCatalogResource PUT "/catalog/resources/$ENC" "${CA[@]}" "${J[@]}" --data-binary @"$TMP/entry"   # a draft is its provider's alone
call 404 updateCatalogResource PUT "/catalog/resources/999999%2F999999" "${PA[@]}" "${J[@]}" -d "$ENTRY"
call 422 updateCatalogResource PUT "/catalog/resources/$ENC" "${PA[@]}" "${J[@]}" -d "$(jq '.shareType="NOT_SHARED"' <<<"$ENTRY")"
call 200 updateCatalogResourceByParts PUT "/catalog/resources/$CLS/$SEQ" "${PA[@]}" "${J[@]}" --data-binary @"$TMP/entry"
call 404 publishCatalogResource POST "/catalog/resources/$ENC/publish" "${CA[@]}"
call 200 publishCatalogResource POST "/catalog/resources/$ENC/publish" "${PA[@]}"
call 409 publishCatalogResource POST "/catalog/resources/$ENC/publish" "${PA[@]}"
call 409 publishCatalogResourceByParts POST "/catalog/resources/$CLS/$SEQ/publish" "${PA[@]}"
call 403 publishCatalogResource POST "/catalog/resources/$ENC/publish" "${CA[@]}"
call 403 updateCatalogResource PUT "/catalog/resources/$ENC" "${CA[@]}" "${J[@]}" --data-binary @"$TMP/entry"
call 403 updateCatalogResourceByParts PUT "/catalog/resources/$CLS/$SEQ" "${CA[@]}" "${J[@]}" --data-binary @"$TMP/entry"
call 404 publishCatalogResourceByParts POST "/catalog/resources/999999/999999/publish" "${PA[@]}"
call 200 listCatalogResourceVersions GET "/catalog/resources/$ENC/versions" "${CA[@]}"
call 404 listCatalogResourceVersions GET "/catalog/resources/999999%2F999999/versions" "${CA[@]}"
call 200 listCatalogResourceVersionsByParts GET "/catalog/resources/$CLS/$SEQ/versions" "${CA[@]}"
call 400 listCatalogResourceVersionsByParts GET "/catalog/resources/$CLS/$SEQ/versions?limit=0" "${CA[@]}"
call 404 getDataElementSource GET "/catalog/data-elements/none_$S" "${CA[@]}"
call 400 getDataElementSource GET "/catalog/data-elements/Not-An-Element" "${CA[@]}"
call 200 listCatalogFilings GET "/catalog/filings?provider=$P" "${PA[@]}"
call 403 listCatalogFilings GET "/catalog/filings?provider=$C" "${PA[@]}"

# calendar
call 200 calendarDeadline GET "/calendar/deadline?from=2026-09-30&workingDays=5" "${CA[@]}"
call 400 calendarDeadline GET "/calendar/deadline?from=2026-09-30&workingDays=0" "${CA[@]}"
call 200 getCalendarYear GET /calendar/2026 "${CA[@]}"
call 400 getCalendarYear GET /calendar/1800 "${CA[@]}"
call 403 putCalendarYear PUT /calendar/2099 "${CA[@]}" "${J[@]}" -d '{"holidays":[],"workdays":[]}'
call 422 putCalendarYear PUT /calendar/2099 "${A[@]}" "${J[@]}" -d '{"holidays":["2099-01-01"],"workdays":["2099-01-01"]}'
call 200 putCalendarYear PUT /calendar/2099 "${A[@]}" "${J[@]}" -d '{"holidays":["2099-01-01"],"workdays":[],"source":"contract walk"}'

# applications
APPLY='{"resource":"'$CODE'","items":["id_number","income"],"purpose":"核验低保申请人家庭收入","usage":"DATA_VERIFICATION"}'
call 201 submitApplication POST /applications "${CA[@]}" "${J[@]}" -d "$APPLY"; APP1=$(field .id)
call 409 submitApplication POST /applications "${CA[@]}" "${J[@]}" -d "$APPLY"
call 201 submitApplication POST /applications "${TA[@]}" "${J[@]}" -d "$APPLY"; APP2=$(field .id)
call 404 submitApplication POST /applications "${CA[@]}" "${J[@]}" -d '{"resource":"999999/999999","items":["a"],"purpose":"核验收入情况","usage":"DATA_VERIFICATION"}'
call 422 submitApplication POST /applications "${PA[@]}" "${J[@]}" -d "$APPLY"
call 403 submitApplication POST /applications "${A[@]}" "${J[@]}" -d "$APPLY"
call 400 submitApplication POST /applications "${CA[@]}" "${J[@]}" -d '{"resource":"x"}'
call 200 listApplications GET "/applications?role=provider&status=PENDING" "${PA[@]}"
call 400 listApplications GET "/applications?overdue=perhaps" "${PA[@]}"
call 403 listApplications GET "/applications?department=$C" "${PA[@]}"
call 200 getApplication GET "/applications/$APP1" "${CA[@]}"
call 403 getApplication GET "/applications/$APP1" "${TA[@]}"
call 404 getApplication GET "/applications/app-none$S" "${CA[@]}"
call 403 decideApplication POST "/applications/$APP1/decision" "${CA[@]}" "${J[@]}" -d '{"decision":"REJECT","reason":"无"}'
call 422 decideApplication POST "/applications/$APP1/decision" "${PA[@]}" "${J[@]}" -d '{"decision":"REJECT","reason":"同意"}'
call 400 decideApplication POST "/applications/$APP1/decision" "${PA[@]}" "${J[@]}" -d '{"decision":"MAYBE"}'
call 404 decideApplication POST "/applications/app-none$S/decision" "${PA[@]}" "${J[@]}" -d '{"decision":"APPROVE"}'
call 200 decideApplication POST "/applications/$APP1/decision" "${PA[@]}" "${J[@]}" -d '{"decision":"APPROVE","items":["income"],"conditions":"仅限低保复核"}'
GRANT=$(field .grant)
call 409 decideApplication POST "/applications/$APP1/decision" "${PA[@]}" "${J[@]}" -d '{"decision":"APPROVE"}'
call 403 withdrawApplication POST "/applications/$APP2/withdraw" "${CA[@]}"
call 200 withdrawApplication POST "/applications/$APP2/withdraw" "${TA[@]}"
call 409 withdrawApplication POST "/applications/$APP2/withdraw" "${TA[@]}"
call 404 withdrawApplication POST "/applications/app-none$S/withdraw" "${TA[@]}"

# grants
call 200 listGrants GET "/grants?role=consumer&status=ACTIVE" "${CA[@]}"
call 400 listGrants GET "/grants?status=GONE" "${CA[@]}"
call 403 listGrants GET "/grants?department=$P" "${CA[@]}"
call 200 checkGrant GET "/grants/check?resource=$CODE" "${CA[@]}"
call 400 checkGrant GET "/grants/check" "${CA[@]}"
call 403 checkGrant GET "/grants/check?resource=$CODE&department=$P" "${CA[@]}"
call 200 getGrant GET "/grants/$GRANT" "${CA[@]}"
call 403 getGrant GET "/grants/$GRANT" "${TA[@]}"
call 404 getGrant GET "/grants/grt-none$S" "${CA[@]}"

# disputes: a stranger is refused for who it is, not for what it wrote
call 403 openDispute POST /disputes "${TA[@]}" "${J[@]}" -d '{"application":"'$APP1'","statement":"无"}'
call 422 openDispute POST /disputes "${CA[@]}" "${J[@]}" -d '{"application":"'$APP1'","statement":"n/a"}'
call 404 openDispute POST /disputes "${CA[@]}" "${J[@]}" -d '{"application":"app-none'$S'","statement":"需要身份证号码"}'
call 409 openDispute POST /disputes "${TA[@]}" "${J[@]}" -d '{"application":"'$APP2'","statement":"撤回后又想申诉"}'
call 400 openDispute POST /disputes "${CA[@]}" "${J[@]}" -d '{"application":"'$APP1'"}'
call 201 openDispute POST /disputes "${CA[@]}" "${J[@]}" -d '{"application":"'$APP1'","statement":"核验需要身份证号码与收入两项"}'
DSP=$(field .id)
call 409 openDispute POST /disputes "${CA[@]}" "${J[@]}" -d '{"application":"'$APP1'","statement":"再次申诉同一决定"}'
call 200 listDisputes GET "/disputes?status=OPEN" "${A[@]}"
call 400 listDisputes GET "/disputes?status=CLOSED" "${A[@]}"
call 403 listDisputes GET "/disputes?department=$P" "${CA[@]}"
call 200 getDispute GET "/disputes/$DSP" "${PA[@]}"
call 403 getDispute GET "/disputes/$DSP" "${TA[@]}"
call 404 getDispute GET "/disputes/dsp-none$S" "${A[@]}"
call 403 resolveDispute POST "/disputes/$DSP/resolution" "${PA[@]}" "${J[@]}" -d '{"outcome":"UPHELD","note":"无"}'
call 422 resolveDispute POST "/disputes/$DSP/resolution" "${A[@]}" "${J[@]}" -d '{"outcome":"UPHELD","note":"xxxxxxxxxxxx"}'
call 404 resolveDispute POST "/disputes/dsp-none$S/resolution" "${A[@]}" "${J[@]}" -d '{"outcome":"UPHELD","note":"维持原决定"}'
call 400 resolveDispute POST "/disputes/$DSP/resolution" "${A[@]}" "${J[@]}" -d '{"outcome":"MAYBE","note":"维持原决定"}'
call 200 resolveDispute POST "/disputes/$DSP/resolution" "${A[@]}" "${J[@]}" -d '{"outcome":"OVERTURNED","note":"比对业务确需两项数据"}'
call 409 resolveDispute POST "/disputes/$DSP/resolution" "${A[@]}" "${J[@]}" -d '{"outcome":"UPHELD","note":"维持原决定"}'

# revocation with a short, concrete Chinese reason
call 200 listGrants GET "/grants?role=provider&status=ACTIVE" "${PA[@]}"
GRANT=$(field '.items[0].id')
call 403 revokeGrant POST "/grants/$GRANT/revoke" "${CA[@]}" "${J[@]}" -d '{"reason":"无"}'
call 422 revokeGrant POST "/grants/$GRANT/revoke" "${PA[@]}" "${J[@]}" -d '{"reason":"test"}'
call 200 revokeGrant POST "/grants/$GRANT/revoke" "${PA[@]}" "${J[@]}" -d '{"reason":"使用部门超范围使用"}'
call 409 revokeGrant POST "/grants/$GRANT/revoke" "${PA[@]}" "${J[@]}" -d '{"reason":"使用部门超范围使用"}'
call 404 revokeGrant POST "/grants/grt-none$S/revoke" "${PA[@]}" "${J[@]}" -d '{"reason":"使用部门超范围使用"}'
call 400 revokeGrant POST "/grants/$GRANT/revoke" "${PA[@]}" "${J[@]}" -d '{}'

# notifications
call 200 listNotifications GET "/notifications?unread=true" "${CA[@]}"
NOTE=$(field '.items[0].id')
call 400 listNotifications GET "/notifications?limit=0" "${CA[@]}"
call 200 readNotification POST "/notifications/$NOTE/read" "${CA[@]}"
call 404 readNotification POST "/notifications/$NOTE/read" "${PA[@]}"
call 200 readAllNotifications POST /notifications/read "${CA[@]}"
call 401 readAllNotifications POST /notifications/read -H 'Authorization: Bearer not-a-token'

# retirement last: it ends the grants
call 403 retireCatalogResource POST "/catalog/resources/$ENC/retire" "${CA[@]}"
call 404 retireCatalogResourceByParts POST "/catalog/resources/999999/999999/retire" "${PA[@]}"
call 200 retireCatalogResourceByParts POST "/catalog/resources/$CLS/$SEQ/retire" "${PA[@]}"
call 409 retireCatalogResource POST "/catalog/resources/$ENC/retire" "${PA[@]}"

# malformed path values: each operation refuses them before doing anything
body() { [ "$1" = GET ] || printf '%s\n' -HContent-Type:application/json --data-binary "$2"; }   # GET: none
LONG=$(printf 'x%.0s' $(seq 130))
call 400 getDepartment GET "/departments/$LONG" "${A[@]}"
call 400 createClient POST "/departments/$LONG/clients" "${A[@]}" "${J[@]}" -d '{"name":"x","roles":["CONSUMER"]}'
call 400 rotateClientSecret POST "/clients/$LONG/secret" "${A[@]}"
call 400 revokeClient DELETE "/clients/$LONG" "${A[@]}"
for op in "getCatalogResource GET" "updateCatalogResource PUT" "publishCatalogResource POST /publish" "retireCatalogResource POST /retire" \
    "listCatalogResourceVersions GET /versions"; do
  set -- $op
  call 400 "$1" "$2" "/catalog/resources/12%2Fab${3:-}" "${PA[@]}" $(body "$2" @"$TMP/entry")
done
for op in "getCatalogResourceByParts GET" "updateCatalogResourceByParts PUT" "publishCatalogResourceByParts POST /publish" \
    "retireCatalogResourceByParts POST /retire" "listCatalogResourceVersionsByParts GET /versions"; do
  set -- $op
  call 400 "$1" "$2" "/catalog/resources/$CLS/12345678901234567890${3:-}" "${PA[@]}" $(body "$2" @"$TMP/entry")
done
for op in "getApplication GET /applications/ID" "decideApplication POST /applications/ID/decision" \
    "withdrawApplication POST /applications/ID/withdraw" "getGrant GET /grants/ID" "revokeGrant POST /grants/ID/revoke" \
    "getDispute GET /disputes/ID" "resolveDispute POST /disputes/ID/resolution" "readNotification POST /notifications/ID/read"; do
  set -- $op
  call 400 "$1" "$2" "${3/ID/$LONG}" "${A[@]}" $(body "$2" '{"decision":"APPROVE","outcome":"UPHELD","note":"维持原决定"}')
done

# failed logins: after the per-client limit (GOVSHARE_AUTH_MAX_FAILURES_PER_CLIENT, default 10) the token
# endpoint answers 429 with Retry-After before checking anything; the made-up id locks out nobody real
for i in $(seq 60); do
  st=$(curl -s -m 20 -o /dev/null -w '%{http_code}' "$B/auth/token" -d grant_type=client_credentials -d client_id="nobody$S" -d client_secret=wrong)
  [ "$st" = 401 ] || break
done
call 429 issueToken POST /auth/token -d grant_type=client_credentials -d client_id="nobody$S" -d client_secret=wrong
grep -qi '^retry-after:' "$TMP/head" || { BAD=$((BAD + 1)); echo "UNEXPECTED issueToken: 429 without Retry-After"; }

MISSING=()
for op in $(curl -s -m 20 "$BASE/openapi.json" | jq -r '.paths[][] | objects | .operationId // empty'); do
  [ -n "${SEEN[$op]:-}" ] || MISSING+=("$op")
done
echo "calls=$CALLS operations=${#SEEN[@]} unexpected=$BAD violations=$VIOLATIONS not-walked=${#MISSING[@]} ${MISSING[*]:-}"
[ "$BAD" = 0 ] && [ "$VIOLATIONS" = 0 ] && [ "${#MISSING[@]}" = 0 ]
