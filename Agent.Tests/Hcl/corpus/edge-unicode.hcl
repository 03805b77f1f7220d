greeting = "héllo wörld"
cjk      = "日本語のテキスト"
emoji    = "🚀 deploy 🎉"
rtl      = "שלום עולם"

job "ünïcødé-job" {
  meta {
    description = "Ĵöb wïth ñön-ÀSCÏÏ"
  }
  task "タスク" {
    config {
      args = ["--name=名前", "--city=München"]
    }
  }
}

template = <<EOF
Grüße aus Köln — ${NOMAD_TASK_NAME} ✓
EOF
