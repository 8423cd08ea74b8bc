// Package templates serves the API's examination of a TOSCA template before anyone deploys it: POST
// /templates/validate (valid or not, the problems with file:line:col, the inputs for a parameters form)
// and POST /templates/plan (the BPMN XML of its deploy or undeploy plan). Its Limits bound the size and
// node count of the template of every request that carries one, here and in package deployments.
package templates
