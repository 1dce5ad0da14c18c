// Not for deploying by hand: the dev parameters as deploy.sh's post-deploy step (`events`) uses them, with the Event
// Grid subscription. It exists so that infra-bicep/snapshot.sh records that pass too (events.snapshot.json) and the
// tests can check the subscription. deploy.sh passes subscribeBlobEvents=true itself.
using 'main.bicep'

extends 'main.bicepparam'

param subscribeBlobEvents = true
