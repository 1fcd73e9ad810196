terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# Account 123456789012 (web) owns the bucket, its key and the distribution.
provider "aws" {
  region = "us-east-1"
}

# Account 111122223333 (ci) owns the deploy role.
provider "aws" {
  alias  = "ci"
  region = "us-east-1"

  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/TerraformDeploy"
  }
}

locals {
  site_bucket = "example-corp-www"
}
