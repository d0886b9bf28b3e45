{{/* The chart name, or nameOverride. */}}
{{- define "asyncrpc-sample.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix: fullnameOverride, or release-chart (the release name alone if it contains the chart name). */}}
{{- define "asyncrpc-sample.fullname" -}}
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

{{/* Name of the headless Service (what clients resolve). */}}
{{- define "asyncrpc-sample.headlessName" -}}
{{- printf "%s-headless" (include "asyncrpc-sample.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "asyncrpc-sample.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "asyncrpc-sample.labels" -}}
helm.sh/chart: {{ include "asyncrpc-sample.chart" . }}
{{ include "asyncrpc-sample.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the pods. */}}
{{- define "asyncrpc-sample.selectorLabels" -}}
app.kubernetes.io/name: {{ include "asyncrpc-sample.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* preStop + drain + exit slack: Kubernetes kills the pod only after all three. */}}
{{- define "asyncrpc-sample.terminationGracePeriodSeconds" -}}
{{- if lt (int .Values.shutdown.exitSlackSeconds) 2 }}
{{- fail (printf "shutdown.exitSlackSeconds: %v (expected: >= 2; Spring's shutdown phase takes gracePeriodSeconds + 1 s)" .Values.shutdown.exitSlackSeconds) }}
{{- end }}
{{- add (int .Values.shutdown.preStopSleepSeconds) (int .Values.shutdown.gracePeriodSeconds) (int .Values.shutdown.exitSlackSeconds) }}
{{- end }}

{{/* The application.yml of the ConfigMap: values.config, then the keys the chart manages (which win). */}}
{{- define "asyncrpc-sample.applicationYaml" -}}
{{- $grace := int .Values.shutdown.gracePeriodSeconds }}
{{- $managed := dict
  "server" (dict "port" (int .Values.management.port) "shutdown" "graceful")
  "spring" (dict "lifecycle" (dict "timeout-per-shutdown-phase" (printf "%ds" (add $grace 1))))
  "management" (dict
    "endpoint" (dict "health" (dict "probes" (dict "enabled" true)))
    "endpoints" (dict "web" (dict "exposure" (dict "include" "health,info,metrics,prometheus"))))
  "asyncrpc" (dict "server" (dict
    "port" (int .Values.rpc.port)
    "shutdown" (dict "grace-period" (printf "%ds" $grace))))
}}
{{- toYaml (mustMergeOverwrite (deepCopy (default (dict) .Values.config)) $managed) }}
{{- end }}
