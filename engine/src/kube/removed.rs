//! API versions Kubernetes no longer serves, with the minor release that
//! removed each and its replacement.
//!
//! From k8s.io/api's generated `APILifecycleRemoved` and
//! `APILifecycleReplacement` (the `k8s:prerelease-lifecycle-gen` tags of
//! every group-version, read at the v0.17 … v0.36 tags and main; the last
//! word wins), plus apiextensions.k8s.io/v1beta1 and
//! apiregistration.k8s.io/v1beta1, which live outside k8s.io/api (removed
//! in 1.22 with their v1 replacements). Upstream names
//! `IngressClassList` as networking.k8s.io/v1beta1 IngressClass's
//! replacement; the kind a manifest uses is `IngressClass`.
//!
//! A removal in a release after the newest bundle is upstream's plan; the
//! bundles decide what a version serves, this table only explains why a
//! kind is absent.

/// (apiVersion, kind) of a replacement.
type Gvk = (&'static str, &'static str);

/// (apiVersion, kind, minor release that removed it, replacement).
#[rustfmt::skip]
const REMOVED: &[(&str, &str, u32, Option<Gvk>)] = &[
    ("admission.k8s.io/v1beta1", "AdmissionReview", 22, Some(("admission.k8s.io/v1", "AdmissionReview"))),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy", 38, None),
    ("admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding", 38, None),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", 32, None),
    ("admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", 32, None),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy", 40, Some(("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicy"))),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding", 40, Some(("admissionregistration.k8s.io/v1", "MutatingAdmissionPolicyBinding"))),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 22, Some(("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"))),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", 34, None),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", 34, None),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 22, Some(("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"))),
    ("apidiscovery.k8s.io/v2beta1", "APIGroupDiscovery", 35, None),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 22, Some(("apiextensions.k8s.io/v1", "CustomResourceDefinition"))),
    ("apiregistration.k8s.io/v1beta1", "APIService", 22, Some(("apiregistration.k8s.io/v1", "APIService"))),
    ("apps/v1beta1", "ControllerRevision", 16, Some(("apps/v1", "ControllerRevision"))),
    ("apps/v1beta1", "Deployment", 16, Some(("apps/v1", "Deployment"))),
    ("apps/v1beta1", "DeploymentRollback", 16, Some(("apps/v1", "DeploymentRollback"))),
    ("apps/v1beta1", "Scale", 16, Some(("autoscaling/v1", "Scale"))),
    ("apps/v1beta1", "StatefulSet", 16, Some(("apps/v1", "StatefulSet"))),
    ("apps/v1beta2", "ControllerRevision", 16, Some(("apps/v1", "ControllerRevision"))),
    ("apps/v1beta2", "DaemonSet", 16, Some(("apps/v1", "DaemonSet"))),
    ("apps/v1beta2", "Deployment", 16, Some(("apps/v1", "Deployment"))),
    ("apps/v1beta2", "ReplicaSet", 16, Some(("apps/v1", "ReplicaSet"))),
    ("apps/v1beta2", "Scale", 16, Some(("autoscaling/v1", "Scale"))),
    ("apps/v1beta2", "StatefulSet", 16, Some(("apps/v1", "StatefulSet"))),
    ("authentication.k8s.io/v1alpha1", "SelfSubjectReview", 32, None),
    ("authentication.k8s.io/v1beta1", "SelfSubjectReview", 33, None),
    ("authentication.k8s.io/v1beta1", "TokenReview", 22, Some(("authentication.k8s.io/v1", "TokenReview"))),
    ("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", 22, Some(("authorization.k8s.io/v1", "LocalSubjectAccessReview"))),
    ("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", 22, Some(("authorization.k8s.io/v1", "SelfSubjectAccessReview"))),
    ("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", 22, Some(("authorization.k8s.io/v1", "SelfSubjectRulesReview"))),
    ("authorization.k8s.io/v1beta1", "SubjectAccessReview", 22, Some(("authorization.k8s.io/v1", "SubjectAccessReview"))),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", 25, Some(("autoscaling/v2", "HorizontalPodAutoscaler"))),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", 26, Some(("autoscaling/v2", "HorizontalPodAutoscaler"))),
    ("batch/v1beta1", "CronJob", 25, Some(("batch/v1", "CronJob"))),
    ("batch/v1beta1", "JobTemplate", 25, None),
    ("certificates.k8s.io/v1alpha1", "ClusterTrustBundle", 37, None),
    ("certificates.k8s.io/v1alpha1", "PodCertificateRequest", 40, None),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest", 22, Some(("certificates.k8s.io/v1", "CertificateSigningRequest"))),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundle", 40, Some(("certificates.k8s.io/v1", "ClusterTrustBundle"))),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequest", 40, Some(("certificates.k8s.io/v1", "PodCertificateRequest"))),
    ("coordination.k8s.io/v1alpha2", "LeaseCandidate", 38, None),
    ("coordination.k8s.io/v1beta1", "Lease", 22, Some(("coordination.k8s.io/v1", "Lease"))),
    ("coordination.k8s.io/v1beta1", "LeaseCandidate", 39, None),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", 25, Some(("discovery.k8s.io/v1", "EndpointSlice"))),
    ("events.k8s.io/v1beta1", "Event", 25, None),
    ("extensions/v1beta1", "DaemonSet", 16, Some(("apps/v1", "DaemonSet"))),
    ("extensions/v1beta1", "Deployment", 16, Some(("apps/v1", "Deployment"))),
    ("extensions/v1beta1", "DeploymentRollback", 16, None),
    ("extensions/v1beta1", "Ingress", 22, Some(("networking.k8s.io/v1", "Ingress"))),
    ("extensions/v1beta1", "NetworkPolicy", 16, Some(("networking.k8s.io/v1", "NetworkPolicy"))),
    ("extensions/v1beta1", "PodSecurityPolicy", 16, Some(("policy/v1beta1", "PodSecurityPolicy"))),
    ("extensions/v1beta1", "ReplicaSet", 16, Some(("apps/v1", "ReplicaSet"))),
    ("extensions/v1beta1", "Scale", 16, None),
    ("flowcontrol.apiserver.k8s.io/v1alpha1", "FlowSchema", 21, Some(("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"))),
    ("flowcontrol.apiserver.k8s.io/v1alpha1", "PriorityLevelConfiguration", 21, Some(("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"))),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 26, Some(("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"))),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 26, Some(("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"))),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 29, Some(("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"))),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 29, Some(("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration"))),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 32, Some(("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"))),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 32, Some(("flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration"))),
    ("lifecycle.k8s.io/v1alpha1", "Eviction", 43, None),
    ("lifecycle.k8s.io/v1alpha1", "EvictionRequest", 43, None),
    ("networking.k8s.io/v1alpha1", "ClusterCIDR", 31, None),
    ("networking.k8s.io/v1alpha1", "IPAddress", 33, None),
    ("networking.k8s.io/v1alpha1", "ServiceCIDR", 33, None),
    ("networking.k8s.io/v1beta1", "IPAddress", 37, None),
    ("networking.k8s.io/v1beta1", "Ingress", 22, Some(("networking.k8s.io/v1", "Ingress"))),
    ("networking.k8s.io/v1beta1", "IngressClass", 22, Some(("networking.k8s.io/v1", "IngressClass"))),
    ("networking.k8s.io/v1beta1", "ServiceCIDR", 37, None),
    ("node.k8s.io/v1beta1", "RuntimeClass", 25, None),
    ("policy/v1beta1", "Eviction", 25, None),
    ("policy/v1beta1", "PodDisruptionBudget", 25, Some(("policy/v1", "PodDisruptionBudget"))),
    ("policy/v1beta1", "PodSecurityPolicy", 25, None),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", 22, Some(("rbac.authorization.k8s.io/v1", "ClusterRole"))),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 22, Some(("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"))),
    ("rbac.authorization.k8s.io/v1beta1", "Role", 22, Some(("rbac.authorization.k8s.io/v1", "Role"))),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding", 22, Some(("rbac.authorization.k8s.io/v1", "RoleBinding"))),
    ("resource.k8s.io/v1alpha3", "DeviceClass", 37, Some(("resource.k8s.io/v1beta1", "DeviceClass"))),
    ("resource.k8s.io/v1alpha3", "DeviceTaintRule", 39, None),
    ("resource.k8s.io/v1alpha3", "ResourceClaim", 37, Some(("resource.k8s.io/v1beta1", "ResourceClaim"))),
    ("resource.k8s.io/v1alpha3", "ResourceClaimTemplate", 37, Some(("resource.k8s.io/v1beta1", "ResourceClaimTemplate"))),
    ("resource.k8s.io/v1alpha3", "ResourcePoolStatusRequest", 42, None),
    ("resource.k8s.io/v1alpha3", "ResourceSlice", 37, Some(("resource.k8s.io/v1beta1", "ResourceSlice"))),
    ("resource.k8s.io/v1beta1", "DeviceClass", 38, None),
    ("resource.k8s.io/v1beta1", "ResourceClaim", 38, None),
    ("resource.k8s.io/v1beta1", "ResourceClaimTemplate", 38, None),
    ("resource.k8s.io/v1beta1", "ResourceSlice", 38, None),
    ("resource.k8s.io/v1beta2", "DeviceClass", 39, None),
    ("resource.k8s.io/v1beta2", "DeviceTaintRule", 42, None),
    ("resource.k8s.io/v1beta2", "ResourceClaim", 39, None),
    ("resource.k8s.io/v1beta2", "ResourceClaimTemplate", 39, None),
    ("resource.k8s.io/v1beta2", "ResourceSlice", 39, None),
    ("scheduling.k8s.io/v1beta1", "PodGroup", 43, None),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", 22, Some(("scheduling.k8s.io/v1", "PriorityClass"))),
    ("scheduling.k8s.io/v1beta1", "Workload", 43, None),
    ("storage.k8s.io/v1alpha1", "CSIStorageCapacity", 24, Some(("storage.k8s.io/v1beta1", "CSIStorageCapacity"))),
    ("storage.k8s.io/v1alpha1", "VolumeAttachment", 24, Some(("storage.k8s.io/v1", "VolumeAttachment"))),
    ("storage.k8s.io/v1alpha1", "VolumeAttributesClass", 35, Some(("storage.k8s.io/v1", "VolumeAttributesClass"))),
    ("storage.k8s.io/v1beta1", "CSIDriver", 22, Some(("storage.k8s.io/v1", "CSIDriver"))),
    ("storage.k8s.io/v1beta1", "CSINode", 22, Some(("storage.k8s.io/v1", "CSINode"))),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", 27, Some(("storage.k8s.io/v1", "CSIStorageCapacity"))),
    ("storage.k8s.io/v1beta1", "StorageClass", 22, Some(("storage.k8s.io/v1", "StorageClass"))),
    ("storage.k8s.io/v1beta1", "VolumeAttachment", 22, Some(("storage.k8s.io/v1", "VolumeAttachment"))),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass", 37, Some(("storage.k8s.io/v1", "VolumeAttributesClass"))),
    ("storagemigration.k8s.io/v1alpha1", "StorageVersionMigration", 36, None),
    ("storagemigration.k8s.io/v1beta1", "StorageVersionMigration", 40, Some(("storagemigration.k8s.io/v1", "StorageVersionMigration"))),
];

/// The minor release that removed `api_version` `kind`, and its
/// replacement, if the table lists it.
pub(crate) fn removed_in(api_version: &str, kind: &str) -> Option<(u32, Option<Gvk>)> {
    REMOVED.iter().find(|r| r.0 == api_version && r.1 == kind).map(|r| (r.2, r.3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_removals() {
        assert_eq!(
            removed_in("policy/v1beta1", "PodDisruptionBudget"),
            Some((25, Some(("policy/v1", "PodDisruptionBudget"))))
        );
        assert_eq!(removed_in("extensions/v1beta1", "Ingress"), Some((22, Some(("networking.k8s.io/v1", "Ingress")))));
        assert_eq!(removed_in("batch/v1beta1", "CronJob"), Some((25, Some(("batch/v1", "CronJob")))));
        assert_eq!(removed_in("apps/v1", "Deployment"), None);
    }
}
