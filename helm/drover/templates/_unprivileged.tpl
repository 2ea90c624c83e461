{{/*
The pod template of the API and scheduler pods: no privilege (uid 10001, every capability dropped,
a read-only root filesystem, RuntimeDefault seccomp), no sandbox. Takes a dict: root (the chart's
context), component, roles, javaOpts, resources, podAnnotations, nodeSelector, affinity, tolerations.
*/}}
{{- define "drover.unprivilegedPod" -}}
{{- $root := .root -}}
template:
  metadata:
    annotations:
      # Restart the pods when their settings change: env from a ConfigMap is read at start only.
      checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
      {{- with .podAnnotations }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    labels:
      {{- include "drover.componentLabels" . | nindent 6 }}
      {{- with $root.Values.podLabels }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
  spec:
    serviceAccountName: {{ include "drover.serviceAccountName" $root }}
    automountServiceAccountToken: {{ $root.Values.serviceAccount.automount }}
    {{- with $root.Values.imagePullSecrets }}
    imagePullSecrets:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    securityContext:
      runAsNonRoot: true
      runAsUser: 10001
      runAsGroup: 10001
      fsGroup: 10001
      seccompProfile: {type: RuntimeDefault}
    containers:
      - name: drover
        image: {{ include "drover.image" $root | quote }}
        imagePullPolicy: {{ $root.Values.image.pullPolicy }}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
        ports:
          - name: http
            containerPort: 8080
            protocol: TCP
        envFrom:
          - configMapRef:
              name: {{ include "drover.fullname" $root }}
        env:
          {{- include "drover.env" (dict "root" $root "roles" .roles "javaOpts" .javaOpts) | nindent 10 }}
        {{- include "drover.probes" $root | nindent 8 }}
        resources:
          {{- toYaml .resources | nindent 10 }}
        volumeMounts:
          # The root filesystem is read-only: Quarkus and the JVM write temporary files, Drover its data dir.
          - name: tmp
            mountPath: /tmp
          - name: data
            mountPath: /var/lib/drover
    volumes:
      - name: tmp
        emptyDir: {}
      - name: data
        emptyDir: {}
    {{- with .nodeSelector }}
    nodeSelector:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with .affinity }}
    affinity:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    {{- with .tolerations }}
    tolerations:
      {{- toYaml . | nindent 6 }}
    {{- end }}
{{- end }}
