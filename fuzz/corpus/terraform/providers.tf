terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# Account 444455556666 (storage) owns the bucket and its key.
provider "aws" {
  region = "us-east-1"
}

# Account 111122223333 (analytics) owns the callers and the VPC endpoint.
provider "aws" {
  alias  = "analytics"
  region = "us-east-1"

  assume_role {
    role_arn = "arn:aws:iam::111122223333:role/TerraformDeploy"
  }
}
