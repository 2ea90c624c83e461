{{/* Chart name, truncated to the 63 characters Kubernetes allows in names and labels. */}}
{{- define "drover.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name: the release name, with the chart name added unless it already contains it. */}}
{{- define "drover.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "drover.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "drover.labels" -}}
helm.sh/chart: {{ include "drover.chart" . }}
{{ include "drover.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels must never change between upgrades: Deployment selectors are immutable. */}}
{{- define "drover.selectorLabels" -}}
app.kubernetes.io/name: {{ include "drover.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "drover.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "drover.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Labels and selector labels of one component (api, scheduler, worker). */}}
{{- define "drover.componentLabels" -}}
{{ include "drover.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "drover.componentSelector" -}}
{{ include "drover.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "drover.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The CloudNativePG Cluster's name; its app Secret is "<name>-app", its primary Service "<name>-rw". */}}
{{- define "drover.cnpgName" -}}
{{- printf "%s-db" (include "drover.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "drover.dbUrl" -}}
{{- if .Values.database.cloudnativepg.enabled -}}
jdbc:postgresql://{{ include "drover.cnpgName" . }}-rw:5432/drover
{{- else -}}
{{ .Values.database.url }}
{{- end }}
{{- end }}

{{- define "drover.dbUsername" -}}
{{- if .Values.database.cloudnativepg.enabled }}drover{{ else }}{{ .Values.database.username }}{{ end }}
{{- end }}

{{- define "drover.dbSecretName" -}}
{{- if .Values.database.cloudnativepg.enabled -}}
{{ include "drover.cnpgName" . }}-app
{{- else if .Values.database.existingSecret -}}
{{ .Values.database.existingSecret }}
{{- else -}}
{{ include "drover.fullname" . }}-db
{{- end }}
{{- end }}

{{- define "drover.dbPasswordKey" -}}
{{- if or .Values.database.cloudnativepg.enabled (not .Values.database.existingSecret) }}password{{ else }}{{ .Values.database.passwordKey }}{{ end }}
{{- end }}

{{- define "drover.llmSecretName" -}}
{{- if .Values.llm.existingSecret }}{{ .Values.llm.existingSecret }}{{ else }}{{ include "drover.fullname" . }}-llm{{ end }}
{{- end }}

{{- define "drover.llmKeyKey" -}}
{{- if .Values.llm.existingSecret }}{{ .Values.llm.apiKeyKey }}{{ else }}api-key{{ end }}
{{- end }}

{{/*
Environment of every Drover container: .root the chart's context, .roles DROVER_ROLES, .javaOpts.
Set here rather than in the ConfigMap: entries in env win over envFrom, so config.extraEnv cannot
turn the embedded database back on, move the data directory or change the roles.
*/}}
{{- define "drover.env" -}}
- name: DROVER_ROLES
  value: {{ .roles | quote }}
- name: JAVA_OPTS
  value: {{ .javaOpts | quote }}
- name: DROVER_PORT
  value: "8080"
# Every /api request takes a bearer token (docs/security.md); the pod listens on its own address
# for the Service, the probes and the other pods, and the NetworkPolicies decide who reaches it.
- name: DROVER_HOST
  value: "0.0.0.0"
# Where the other Drover pods reach this one (forwarding of sandbox and log requests).
- name: POD_IP
  valueFrom:
    fieldRef: {fieldPath: status.podIP}
- name: DROVER_CLUSTER_ADDRESS
  value: "http://$(POD_IP):$(DROVER_PORT)"
- name: DROVER_DATA_DIR
  value: /var/lib/drover
- name: DROVER_EMBEDDED_POSTGRES_ENABLED
  value: "false"
- name: QUARKUS_DATASOURCE_JDBC_URL
  value: {{ include "drover.dbUrl" .root | quote }}
- name: QUARKUS_DATASOURCE_USERNAME
  value: {{ include "drover.dbUsername" .root | quote }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "drover.dbSecretName" .root }}
      key: {{ include "drover.dbPasswordKey" .root }}
# The admin token, the same in every pod: tokens for tenants are made with it (POST /api/v1/tokens).
- name: DROVER_ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "drover.adminSecretName" .root }}
      key: {{ .root.Values.auth.adminTokenKey }}
# The key of the tenants' secrets, the same in every pod: a worker decrypts what the api encrypted.
- name: DROVER_SECRETS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "drover.secretsKeySecretName" .root }}
      key: {{ .root.Values.secrets.keyKey }}
- name: DROVER_AUTH_METRICS_OPEN
  value: {{ .root.Values.auth.metricsOpen | quote }}
{{- if or .root.Values.llm.existingSecret .root.Values.llm.apiKey }}
- name: DROVER_LLM_UPSTREAM_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "drover.llmSecretName" .root }}
      key: {{ include "drover.llmKeyKey" .root }}
{{- end }}
{{- end }}

{{/* Probes on /q/health: startup and readiness on ready, liveness on live. */}}
{{- define "drover.probes" -}}
startupProbe:
  httpGet: {path: /q/health/ready, port: http}
  {{- toYaml .Values.startupProbe | nindent 2 }}
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  {{- toYaml .Values.readinessProbe | nindent 2 }}
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  {{- toYaml .Values.livenessProbe | nindent 2 }}
{{- end }}

{{/* The release's checks, at install and upgrade (helm lint renders with neither flag and no values to pass). */}}
{{- define "drover.validate" -}}
{{- if or .Release.IsInstall .Release.IsUpgrade }}
{{- if not .Values.database.cloudnativepg.enabled }}
{{- if not .Values.database.url }}
{{- fail "database.url is required (or database.cloudnativepg.enabled=true): every pod shares one PostgreSQL" }}
{{- end }}
{{- if not (or .Values.database.existingSecret .Values.database.password) }}
{{- fail "database.existingSecret (a Secret holding the password) or database.password is required" }}
{{- end }}
{{- end }}
{{- if not (or .Values.auth.existingSecret .Values.auth.adminToken) }}
{{- fail "auth.existingSecret (a Secret holding the admin token) or auth.adminToken (at least 16 characters) is required: every pod checks tokens against it" }}
{{- end }}
{{- if not (or .Values.secrets.existingSecret .Values.secrets.key) }}
{{- fail "secrets.existingSecret (a Secret holding the secrets key) or secrets.key (the base64 of 32 random bytes: openssl rand -base64 32) is required: every pod encrypts and decrypts the tenants' secrets with it" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Ingress of pods that serve nothing but metrics and probes: Prometheus's namespaces, if set. */}}
{{- define "drover.metricsIngress" -}}
{{- if .Values.networkPolicy.metricsFromNamespaces }}
ingress:
  - from:
      - namespaceSelector:
          matchLabels:
            {{- toYaml .Values.networkPolicy.metricsFromNamespaces | nindent 12 }}
    ports:
      - {protocol: TCP, port: 8080}
{{- else }}
ingress: []
{{- end }}
{{- end }}

{{/* The Secret of the admin token: the operator's, or the chart's made from auth.adminToken. */}}
{{- define "drover.adminSecretName" -}}
{{- .Values.auth.existingSecret | default (printf "%s-admin" (include "drover.fullname" .)) -}}
{{- end -}}

{{/* The Secret of the secrets key: the operator's, or the chart's. */}}
{{- define "drover.secretsKeySecretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets-key" (include "drover.fullname" .)) -}}
{{- end -}}
