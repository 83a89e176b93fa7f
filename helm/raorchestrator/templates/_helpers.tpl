{{/* Names and labels shared by every template. */}}
{{- define "raorchestrator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "raorchestrator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "raorchestrator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "raorchestrator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "raorchestrator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "raorchestrator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: silo
{{- end }}

{{- define "raorchestrator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "raorchestrator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Seconds as the hh:mm:ss a .NET TimeSpan setting reads. */}}
{{- define "raorchestrator.timespan" -}}
{{- printf "%02d:%02d:%02d" (div . 3600) (div (mod . 3600) 60) (mod . 60) }}
{{- end }}
