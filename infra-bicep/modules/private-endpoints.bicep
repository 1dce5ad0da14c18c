// One private endpoint per storage service and vault the app reaches, each registered in its private DNS zone so the
// usual host names (<account>.blob.core..., <vault>.vault...) resolve to the endpoint inside the virtual network.

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Subnet the endpoints are placed in.')
param subnetId string

@description('The endpoints: name, the target resource (type and name, in this resource group), the sub-resource (blob, queue, table, vault) and the name of its private DNS zone.')
param endpoints {
  name: string
  resourceType: string
  resourceName: string
  groupId: string
  zoneName: string
}[]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-07-01' = [
  for endpoint in endpoints: {
    name: endpoint.name
    location: location
    tags: tags
    properties: {
      subnet: {
        id: subnetId
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: resourceId(endpoint.resourceType, endpoint.resourceName)
            groupIds: [
              endpoint.groupId
            ]
          }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-07-01' = [
  for (endpoint, index) in endpoints: {
    parent: privateEndpoints[index]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.groupId
          properties: {
            privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', endpoint.zoneName)
          }
        }
      ]
    }
  }
]
