module github.com/toscaflow/toscaflow

go 1.26
